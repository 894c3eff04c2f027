{{- include "steward.pdb" (list $ "{{name}}") }}
