{{- include "steward.deployment" (list $ "{{name}}") }}
