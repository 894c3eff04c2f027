{{- include "steward.networkPolicy" (list $ "{{name}}") }}
