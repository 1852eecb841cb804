/**
 * Values for the official NATS Helm chart (nats-io/k8s, chart "nats" 1.x)
 * that add the users to the server's configuration (`config.merge`; the
 * chart writes `<< $VAR >>` unquoted, so the server reads the password from
 * its environment) and fill those variables from the Secret `nats-users`.
 * Used beside nats.values.yaml: `-f nats.values.yaml -f nats-auth.values.yaml`.
 */
import { natsServerSecret, type NatsUser } from './nats-users';

export function helmValues(users: readonly NatsUser[]): object {
  return {
    config: {
      merge: {
        authorization: {
          users: users.map((user) => ({
            user: user.party,
            password: `<< $${user.passwordVariable} >>`,
            permissions: {
              publish: { allow: user.permissions.publish },
              subscribe: { allow: user.permissions.subscribe },
              ...(user.permissions.allowResponses ? { allow_responses: true } : {}),
            },
          })),
        },
      },
    },
    container: {
      env: Object.fromEntries(users.map((user) => [user.passwordVariable, { valueFrom: { secretKeyRef: { name: natsServerSecret, key: user.party } } }])),
    },
  };
}
