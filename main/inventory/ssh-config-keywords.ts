/**
 * Keywords of OpenSSH's client configuration (ssh_config(5), OpenSSH 9.x, with Debian's GSSAPI additions and the
 * deprecated ones ssh still reads), lower case. A line whose keyword is not here is reported, as ssh would.
 */
export const SSH_CONFIG_KEYWORDS: ReadonlySet<string> = new Set(
  `host match addkeystoagent addressfamily batchmode bindaddress bindinterface canonicaldomains
  canonicalizefallbacklocal canonicalizehostname canonicalizemaxdots canonicalizepermittedcnames
  casignaturealgorithms certificatefile channeltimeout checkhostip cipher ciphers clearallforwardings compression
  connectionattempts connecttimeout controlmaster controlpath controlpersist dynamicforward
  enableescapecommandline enablesshkeysign escapechar exitonforwardfailure fingerprinthash forkafterauthentication
  forwardagent forwardx11 forwardx11timeout forwardx11trusted gatewayports globalknownhostsfile
  gssapiauthentication gssapiclientidentity gssapidelegatecredentials gssapikexalgorithms gssapikeyexchange
  gssapirenewalforcesrekey gssapiserveridentity gssapitrustdns hashknownhosts hostbasedacceptedalgorithms
  hostbasedauthentication hostbasedkeytypes hostkeyalgorithms hostkeyalias hostname identitiesonly identityagent
  identityfile ignoreunknown include ipqos kbdinteractiveauthentication kbdinteractivedevices kexalgorithms
  knownhostscommand localcommand localforward loglevel logverbose macs nohostauthenticationforlocalhost
  numberofpasswordprompts obscurekeystroketiming passwordauthentication permitlocalcommand permitremoteopen
  pkcs11provider port preferredauthentications protocol proxycommand proxyjump proxyusefdpass
  pubkeyacceptedalgorithms pubkeyacceptedkeytypes pubkeyauthentication rekeylimit remotecommand remoteforward
  requesttty requiredrsasize revokedhostkeys rsaauthentication securitykeyprovider sendenv serveralivecountmax
  serveraliveinterval sessiontype setenv smartcarddevice stdinnull streamlocalbindmask streamlocalbindunlink
  stricthostkeychecking syslogfacility tag tcpkeepalive tunnel tunneldevice updatehostkeys usekeychain
  useprivilegedport user userknownhostsfile useroaming verifyhostkeydns visualhostkey xauthlocation
  challengeresponseauthentication`
    .split(/\s+/)
    .filter((k) => k !== ''),
);
