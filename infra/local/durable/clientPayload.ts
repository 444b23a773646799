/** The `durableClient` input binding payload (durable-protocol B §8), pointing at this host. No system key locally. */
export function clientPayload(origin: string, hubName: string): Record<string, unknown> {
  const base = `${origin}/runtime/webhooks/durabletask`;
  const query = `taskHub=${encodeURIComponent(hubName)}&connection=Storage`;
  const instance = `${base}/instances/INSTANCEID`;
  return {
    taskHubName: hubName,
    connectionName: null,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]`,
      createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}`,
    },
    managementUrls: {
      id: 'INSTANCEID',
      statusQueryGetUri: `${instance}?${query}`,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
      terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
      rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
      purgeHistoryDeleteUri: `${instance}?${query}`,
      restartPostUri: `${instance}/restart?${query}`,
      suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
      resumePostUri: `${instance}/resume?reason={text}&${query}`,
    },
    baseUrl: base,
    requiredQueryStringParameters: '',
    rpcBaseUrl: `${origin}/durabletask/`,
  };
}
