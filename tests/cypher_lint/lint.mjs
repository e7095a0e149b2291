// Reads {statements: [{name, text, parameters, catalogue}], labels, relationshipTypes} as JSON on stdin
// and prints, for each statement, the diagnostics of Neo4j's Cypher linter (syntax and semantic
// analysis, offline). With `catalogue`, unknown functions and procedures are errors too, checked against
// the Neo4j 5 catalogue the package ships (testData.mockSchema).
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { statements, labels, relationshipTypes } = JSON.parse(input);
const { functions, procedures } = testData.mockSchema;

const results = statements.map(({ name, text, parameters, catalogue }) => {
  const dbSchema = {
    labels,
    relationshipTypes,
    parameters: Object.fromEntries(parameters.map((p) => [p, null])),
    ...(catalogue ? { functions, procedures } : {}),
  };
  const { diagnostics } = lintCypherQuery(text, dbSchema);
  return {
    name,
    diagnostics: diagnostics.map((d) => ({ severity: d.severity, message: d.message })),
  };
});
process.stdout.write(JSON.stringify(results));
