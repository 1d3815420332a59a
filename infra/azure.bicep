// Norrbus bot: everything one environment needs in one resource group.
//   az deployment group create -g <rg> -f infra/azure.bicep -p infra/azure.parameters.json
// (or `teamsapp provision --env dev`, which runs this file through m365agents.yml).
// The bot signs in to the Bot Framework and to Table Storage as one user-assigned managed identity:
// no client secret and no storage key exists. The app settings below are exactly the variables
// src/config/config.ts reads that a deployment sets (test/infra/bicep.test.ts compares the lists).

@description('Base of every resource name, e.g. norrbus-dev (lower case letters, digits, hyphens).')
@minLength(3)
@maxLength(20)
param resourceBaseName string

@description('Azure region of the resources (the Azure Bot itself is global).')
param location string = resourceGroup().location

@description('App Service plan SKU (Linux). B1 is enough for one county; P0v3 for zone redundancy and slots.')
param appServiceSku string = 'B1'

@description('Azure Bot pricing tier: F0 (free, 10,000 premium messages/month) or S1.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Shown in Teams and the Azure portal.')
param botDisplayName string = 'Norrbus'

@description('NORRBUS_ENV: which env/.env.<name> file the bot reads beside these settings.')
param norrbusEnv string = 'dev'

@description('APP_NAME_SUFFIX: appended to the app name in Teams (empty in production).')
param appNameSuffix string = ''

@description('TEAMS_APP_ID: the Teams app id of the package (a fixed GUID per environment).')
param teamsAppId string

@description('ORGANISATION_DIRECTORY: the organisation directory file deployed with the code (env/README.md).')
param organisationDirectory string = 'env/organisations.dev.json'

@description('LANSDELAR: the länsdelar file deployed with the code; empty: the default four (env/README.md).')
param lansdelar string = ''

@description('TEAMS_SERVICE_HOSTS: the Teams service hosts the bot may post to.')
param teamsServiceHosts string = 'smba.trafficmanager.net'

@description('STORAGE_TABLE_PREFIX: prepended to every table name.')
param tablePrefix string = 'Norrbus'

@description('LOG_LEVEL of the bot (stdout, App Service log stream).')
@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
])
param logLevel string = 'info'

@description('REMINDER_INTERVAL_SECONDS, REMINDER_WINDOW, FORUM_DIGEST_HOUR: the reminder pass.')
param reminderIntervalSeconds int = 60
param reminderWindow string = '8-17'
param forumDigestHour int = 9

@description('Retention (days) of closed cases and of the audit trail.')
param retentionDays int = 90
param auditRetentionDays int = 730

@description('Days the deviating party has to analyse a deviation report.')
param deviationAnalysisDays int = 60

@description('Local practice (lokal rutin): reply times and the acute meeting limit, in working days.')
param replyDays int = 3
param urgentReplyDays int = 1
param urgentMeetingDays int = 2

@description('Outbox, connector and shutdown timing.')
param outboxIntervalSeconds int = 2
param connectorTimeoutSeconds int = 5
param sendGiveUpHours int = 24
param shutdownSeconds int = 10

@description('Days Log Analytics keeps telemetry.')
param logRetentionDays int = 90

var names = {
  identity: '${resourceBaseName}-id'
  plan: '${resourceBaseName}-plan'
  web: resourceBaseName
  bot: '${resourceBaseName}-bot'
  logs: '${resourceBaseName}-logs'
  insights: '${resourceBaseName}-ai'
  // Storage and Key Vault names allow no hyphens / at most 24 characters.
  storage: take('${toLower(replace(resourceBaseName, '-', ''))}st${uniqueString(resourceGroup().id)}', 24)
  vault: take('${resourceBaseName}-kv-${uniqueString(resourceGroup().id)}', 24)
}

// Built-in role definitions.
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

// The tables of src/store/store.ts (TABLES); the bot also creates any that are missing.
var tables = [
  'Installations'
  'IntakeChannels'
  'Audit'
  'Meetings'
  'CaseReferences'
  'Outbox'
  'UserMeetings'
  'Commitments'
  'Threads'
  'Reminders'
  'Deviations'
  'Digests'
  'Disagreements'
  'Posts'
  'Statistics'
]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: names.identity
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: names.logs
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: names.insights
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    IngestionMode: 'LogAnalytics'
    RetentionInDays: logRetentionDays
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: names.storage
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Entra ID only: the managed identity's role below; no account key works.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
    encryption: {
      keySource: 'Microsoft.Storage'
      services: {
        table: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource storageTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for table in tables: {
    parent: tableService
    name: '${tablePrefix}${table}'
  }
]

resource tableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, storageTableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Where a secret remains: the Application Insights connection string is read from here through a
// Key Vault reference (and a BOT_PASSWORD, should an environment ever use a client secret).
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: names.vault
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource insightsSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'applicationinsights-connection-string'
  properties: {
    value: insights.properties.ConnectionString
  }
}

resource vaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: names.plan
  location: location
  kind: 'linux'
  sku: {
    name: appServiceSku
  }
  properties: {
    reserved: true
  }
}

resource web 'Microsoft.Web/sites@2023-12-01' = {
  name: names.web
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'node dist/src/main.js'
      alwaysOn: true
      healthCheckPath: '/healthz'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [
        // App Service itself (not read by the bot).
        { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
        // The bot's settings (src/config/config.ts).
        { name: 'NORRBUS_ENV', value: norrbusEnv }
        { name: 'BOT_HOST', value: '0.0.0.0' }
        // App Service sends traffic to the port in PORT/WEBSITES_PORT; 8080 is its default for Node.
        { name: 'BOT_PORT', value: '8080' }
        { name: 'WEBSITES_PORT', value: '8080' }
        { name: 'BOT_ID', value: identity.properties.clientId }
        { name: 'BOT_TENANT_ID', value: identity.properties.tenantId }
        { name: 'BOT_TYPE', value: 'UserAssignedMSI' }
        { name: 'BOT_DOMAIN', value: '${names.web}.azurewebsites.net' }
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'STORAGE_ACCOUNT_NAME', value: storage.name }
        { name: 'STORAGE_TABLE_PREFIX', value: tablePrefix }
        { name: 'ORGANISATION_DIRECTORY', value: organisationDirectory }
        { name: 'LANSDELAR', value: lansdelar }
        { name: 'TEAMS_SERVICE_HOSTS', value: teamsServiceHosts }
        { name: 'TEAMS_APP_ID', value: teamsAppId }
        { name: 'APP_NAME_SUFFIX', value: appNameSuffix }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: '@Microsoft.KeyVault(SecretUri=${insightsSecret.properties.secretUri})' }
        { name: 'LOG_LEVEL', value: logLevel }
        { name: 'REMINDER_INTERVAL_SECONDS', value: string(reminderIntervalSeconds) }
        { name: 'REMINDER_WINDOW', value: reminderWindow }
        { name: 'FORUM_DIGEST_HOUR', value: string(forumDigestHour) }
        { name: 'DEVIATION_ANALYSIS_DAYS', value: string(deviationAnalysisDays) }
        { name: 'RETENTION_DAYS', value: string(retentionDays) }
        { name: 'AUDIT_RETENTION_DAYS', value: string(auditRetentionDays) }
        { name: 'REPLY_DAYS', value: string(replyDays) }
        { name: 'URGENT_REPLY_DAYS', value: string(urgentReplyDays) }
        { name: 'URGENT_MEETING_DAYS', value: string(urgentMeetingDays) }
        { name: 'OUTBOX_INTERVAL_SECONDS', value: string(outboxIntervalSeconds) }
        { name: 'CONNECTOR_TIMEOUT_SECONDS', value: string(connectorTimeoutSeconds) }
        { name: 'SEND_GIVE_UP_HOURS', value: string(sendGiveUpHours) }
        { name: 'SHUTDOWN_SECONDS', value: string(shutdownSeconds) }
      ]
    }
  }
  dependsOn: [
    tableRole
    vaultRole
  ]
}

// Single-tenant, as the user-assigned identity: Teams reaches https://<web>/api/messages.
resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: names.bot
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${web.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppType: 'UserAssignedMSI'
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
    developerAppInsightKey: insights.properties.InstrumentationKey
    disableLocalAuth: false
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// Read by m365agents.yml into env/.env.<env> (BOT_ID, BOT_DOMAIN …) and by docs/DEPLOY.md.
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_DOMAIN string = web.properties.defaultHostName
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = web.id
output STORAGE_ACCOUNT_NAME string = storage.name
output KEY_VAULT_NAME string = vault.name
output APPLICATIONINSIGHTS_RESOURCE_ID string = insights.id
