{{- include "steward.serviceMonitor" (list $ "{{name}}") }}
