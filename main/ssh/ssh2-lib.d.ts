// The files of ssh2 that main/ssh/ssh2.ts imports one by one; typed there from the package's own declarations.
declare module 'ssh2/lib/client.js' {
  const client: unknown;
  export default client;
}
declare module 'ssh2/lib/agent.js' {
  const agent: unknown;
  export default agent;
}
declare module 'ssh2/lib/protocol/keyParser.js' {
  const keyParser: unknown;
  export default keyParser;
}
