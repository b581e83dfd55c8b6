/** .vscode/ for a new workspace: tasks for build, emulate and test, and the graph schema for the YAML extension. */
export function vscodeFiles(graphSchemaJson: string): Array<[string, string]> {
  const task = (label: string, command: string, group?: string): Record<string, unknown> => ({
    label,
    type: 'shell',
    command,
    problemMatcher: [],
    ...(group ? { group } : {}),
  });
  const tasks = {
    version: '2.0.0',
    tasks: [
      { ...task('aio: build operators (release)', 'aio build', 'build'), problemMatcher: ['$tsc'] },
      task('aio: build operators (debug)', 'aio build --debug'),
      task('aio: emulate graph on data/', 'aio emulate graph.dataflow.yaml --data data'),
      task('aio: emulate graph on MQTT', 'aio emulate --env local'),
      task('aio: test', 'aio test tests', 'test'),
    ],
  };
  const settings = {
    'yaml.schemas': { './.vscode/aio-graph.schema.json': ['graph.dataflow.yaml', '*.graph.yaml', '*-graph.yaml'] },
    'files.exclude': { '**/bin': false },
  };
  return [
    ['.vscode/tasks.json', `${JSON.stringify(tasks, null, 2)}\n`],
    ['.vscode/settings.json', `${JSON.stringify(settings, null, 2)}\n`],
    ['.vscode/extensions.json', `${JSON.stringify({ recommendations: ['redhat.vscode-yaml'] }, null, 2)}\n`],
    ['.vscode/aio-graph.schema.json', `${graphSchemaJson}\n`],
  ];
}
