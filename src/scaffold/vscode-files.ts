/**
 * .vscode/ for a new workspace: tasks for build, emulate and test; launch configurations for debugging operators
 * (attach to `aio emulate --inspect`, or start it under the debugger); the graph schema for the YAML extension and
 * the WebAssembly DWARF extension, which maps a Rust debug build back to its source.
 */
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
  const launch = {
    version: '0.2.0',
    configurations: [
      {
        name: 'aio emulate: attach',
        type: 'node',
        request: 'attach',
        address: '127.0.0.1',
        port: 9229,
        // The graph runs on a worker thread; VS Code follows it there.
        continueOnAttach: true,
        skipFiles: ['<node_internals>/**'],
      },
      {
        name: 'aio emulate: debug on data/',
        type: 'node',
        request: 'launch',
        runtimeExecutable: 'aio',
        // --inspect under VS Code's own debugger: aio uses that inspector and drops the call deadline.
        runtimeArgs: ['emulate', 'graph.dataflow.yaml', '--data', 'data', '--inspect'],
        cwd: '${workspaceFolder}',
        console: 'integratedTerminal',
        skipFiles: ['<node_internals>/**'],
      },
    ],
  };
  return [
    ['.vscode/tasks.json', `${JSON.stringify(tasks, null, 2)}\n`],
    ['.vscode/launch.json', `${JSON.stringify(launch, null, 2)}\n`],
    ['.vscode/settings.json', `${JSON.stringify(settings, null, 2)}\n`],
    ['.vscode/extensions.json', `${JSON.stringify({ recommendations: ['redhat.vscode-yaml', 'ms-vscode.wasm-dwarf-debugging'] }, null, 2)}\n`],
    ['.vscode/aio-graph.schema.json', `${graphSchemaJson}\n`],
  ];
}
