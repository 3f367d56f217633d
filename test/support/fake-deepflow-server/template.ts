/**
 * A small slice of deepflow-server's agent-group template (server/agent_config/template.yaml upstream):
 * only these keys are known to the fake v7 server, with the template's default values, whose YAML
 * types (bool, int, str, list) are what incoming configs are checked against.
 */
export const V7_TEMPLATE = `global:
  limits:
    max_millicpus: 1000
    max_memory: 768
  communication:
    proactive_request_interval: 60s
inputs:
  proc:
    enabled: true
  integration:
    enabled: true
    listen_port: 38086
    compression:
      trace: true
      profile: true
outputs:
  flow_log:
    filters:
      l7_capture_network_types: [0]
`;

/** v6 configs are bound to a struct upstream (server/agent_config/config.go): keys outside it are silently dropped. */
export const V6_KEYS = [
    "vtap_group_id", "max_millicpus", "max_memory", "sync_interval", "log_level",
    "external_agent_http_proxy_enabled", "external_agent_http_proxy_port",
] as const;
