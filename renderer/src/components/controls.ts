/** Control characters made visible: the one function, shared with the CLI (shared/text/controls.ts). */
export { controlSegments, visibleControls } from '../../../shared/text/controls.js';
