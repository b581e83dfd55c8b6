// Rendered by aio render --env prod --format bicep. Deploy with:
//   az deployment group create -g rg-edge-prod --template-file <this file>
param customLocationId string = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-edge-prod/providers/Microsoft.ExtendedLocation/customLocations/cl-edge-prod'

resource instance 'Microsoft.IoTOperations/instances@2026-07-01' existing = {
  name: 'aio-prod'
}

resource profile 'Microsoft.IoTOperations/instances/dataflowProfiles@2026-07-01' existing = {
  parent: instance
  name: 'default'
}

resource registryEndpoint 'Microsoft.IoTOperations/instances/registryEndpoints@2026-07-01' = {
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

resource dataflowGraph 'Microsoft.IoTOperations/instances/dataflowProfiles/dataflowGraphs@2026-07-01' = {
  parent: profile
  name: 'thermostat'
  extendedLocation: {
    name: customLocationId
    type: 'CustomLocation'
  }
  dependsOn: [
    registryEndpoint
  ]
  properties: {
    mode: 'Enabled'
    requestDiskPersistence: 'Disabled'
    nodes: [
      {
        nodeType: 'Source'
        name: 'source'
        sourceSettings: {
          endpointRef: 'default'
          dataSources: [
            'factory/+/telemetry'
          ]
        }
      }
      {
        nodeType: 'Graph'
        name: 'processor'
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
        nodeType: 'Destination'
        name: 'destination'
        destinationSettings: {
          endpointRef: 'default'
          dataDestination: 'factory/processed'
        }
      }
    ]
    nodeConnections: [
      {
        from: {
          name: 'source'
        }
        to: {
          name: 'processor'
        }
      }
      {
        from: {
          name: 'processor'
        }
        to: {
          name: 'destination'
        }
      }
    ]
  }
}

output dataflowGraphId string = dataflowGraph.id
