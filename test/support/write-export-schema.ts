// `npm run schema:export`: writes docs/schema/foureyes-engagement-1.schema.json from the engagement export's zod schema
// (main/export/engagement-json.ts); test/unit/export/engagement-json.test.ts keeps the two equal.
import { writeFileSync } from 'node:fs';
import { ENGAGEMENT_SCHEMA_PATH, engagementJsonSchema } from '../../main/export/engagement-json.js';

writeFileSync(ENGAGEMENT_SCHEMA_PATH, `${JSON.stringify(engagementJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${ENGAGEMENT_SCHEMA_PATH}\n`);
