// Rendered by aio render --env pipeline-prod --format bicep (pipeline thermostat-pipeline). Deploy with:
//   az deployment group create -g rg-edge-prod --template-file <this file>
param customLocationId string = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-edge-prod/providers/Microsoft.ExtendedLocation/customLocations/cl-edge-prod'

resource instance 'Microsoft.IoTOperations/instances@2026-10-01' existing = {
  name: 'aio-prod'
}

resource profile 'Microsoft.IoTOperations/instances/dataflowProfiles@2026-10-01' existing = {
  parent: instance
  name: 'default'
}

resource registryEndpoint1 'Microsoft.IoTOperations/instances/registryEndpoints@2026-10-01' = {
  parent: instance
  name: 'acr-prod'
  extendedLocation: {
    name: customLocationId
    type: 'CustomLocation'
  }
  properties: {
    host: 'aioprod.azurecr.io'
    authentication: {
      method: 'SystemAssignedManagedIdentity'
      systemAssignedManagedIdentitySettings: {}
    }
  }
}

resource dataflowGraph 'Microsoft.IoTOperations/instances/dataflowProfiles/dataflowGraphs@2026-10-01' = {
  parent: profile
  name: 'thermostat-pipeline'
  extendedLocation: {
    name: customLocationId
    type: 'CustomLocation'
  }
  dependsOn: [
    registryEndpoint1
  ]
  properties: {
    mode: 'Enabled'
    requestDiskPersistence: 'Disabled'
    nodes: [
      {
        nodeType: 'Source'
        name: 'sensors'
        sourceSettings: {
          endpointRef: 'plant-mqtt'
          dataSources: [
            'factory/+/telemetry'
          ]
        }
      }
      {
        nodeType: 'Graph'
        name: 'normalize'
        graphSettings: {
          registryEndpointRef: 'default'
          artifact: 'azureiotoperations/graph-dataflow-map:1.0.0'
          configuration: [
            {
              key: 'rules'
              value: '{
  "map": [
    { "inputs": ["*"], "output": "*", "description": "pass every field" },
    { "inputs": ["pressurePsi"], "output": "pressureBar", "expression": "if($1 == (), (), round_n(psiToBar($1), 3))", "description": "psi to bar, where there is a reading" },
    { "inputs": ["pressurePsi"], "output": "", "description": "drop the psi reading" },
    { "inputs": ["line ?? \\"unassigned\\""], "output": "$metadata.topic", "expression": "\\"lines/\\" + $1", "description": "route by line" }
  ]
}
'
            }
          ]
        }
      }
      {
        nodeType: 'Graph'
        name: 'thermostat'
        graphSettings: {
          registryEndpointRef: 'acr-prod'
          artifact: 'thermostat-graph:1.0.0'
          configuration: [
            {
              key: 'temperature_upper_bound'
              value: '100'
            }
          ]
        }
      }
      {
        nodeType: 'Graph'
        name: 'summary'
        graphSettings: {
          registryEndpointRef: 'default'
          artifact: 'azureiotoperations/graph-dataflow-window:1.1.0'
          configuration: [
            {
              key: 'count'
              value: '{"type": "messageCount", "maxMessageCount": 3, "boundaryMessage": "messageInCurrent"}'
            }
            {
              key: 'triggers'
              value: '{
  "type": "expression",
  "rules": [
    { "inputs": ["status ?? \\"\\""], "trigger": "$1 == \\"door open\\"", "boundaryMessage": "messageInCurrent" }
  ]
}
'
            }
            {
              key: 'rules'
              value: '{
  "accumulate": [
    { "inputs": ["count"], "output": "readings", "expression": "sum($1)" },
    { "inputs": ["max"], "output": "peakC", "expression": "max($1)" },
    { "inputs": ["status"], "output": "events", "expression": "count($1)" }
  ]
}
'
            }
          ]
        }
      }
      {
        nodeType: 'Destination'
        name: 'factory'
        destinationSettings: {
          endpointRef: 'plant-mqtt'
          dataDestination: 'factory/\${outputTopic}'
          headers: [
            {
              actionType: 'AddOrReplace'
              key: 'pipeline'
              value: 'thermostat'
            }
          ]
        }
      }
    ]
    nodeConnections: [
      {
        from: {
          name: 'sensors'
        }
        to: {
          name: 'normalize'
        }
      }
      {
        from: {
          name: 'normalize'
        }
        to: {
          name: 'thermostat'
        }
      }
      {
        from: {
          name: 'thermostat'
        }
        to: {
          name: 'summary'
        }
      }
      {
        from: {
          name: 'summary'
        }
        to: {
          name: 'factory'
        }
      }
    ]
  }
}

output dataflowGraphId string = dataflowGraph.id
