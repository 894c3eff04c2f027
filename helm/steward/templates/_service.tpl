{{/*
The resources of one Steward service. Each service's folder (templates/<service>/) calls
these with (list $ "<service>"); its settings are serviceDefaults merged with services.<service>.
*/}}

{{- define "steward.deployment" -}}
{{- $root := index . 0 -}}
{{- $svc := include "steward.service" . | fromYaml -}}
{{- if $svc.enabled }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "steward.componentName" (list $root $svc.name) }}
  labels:
    {{- include "steward.labels" (list $root $svc.name) | nindent 4 }}
spec:
  {{- if not $svc.autoscaling.enabled }}
  replicas: {{ $svc.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  selector:
    matchLabels:
      {{- include "steward.selectorLabels" (list $root $svc.name) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "steward.selectorLabels" (list $root $svc.name) | nindent 8 }}
        app.kubernetes.io/part-of: steward
        {{- with $svc.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $svc.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ ternary (include "steward.componentName" (list $root $svc.name)) "default" $root.Values.serviceAccount.create }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $svc.terminationGracePeriodSeconds }}
      {{- include "steward.podSecurity" $root | nindent 6 }}
      {{- if $svc.topologySpread }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "steward.selectorLabels" (list $root $svc.name) | nindent 14 }}
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "steward.selectorLabels" (list $root $svc.name) | nindent 14 }}
      {{- end }}
      {{- with $svc.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ $svc.name }}
          image: {{ include "steward.image" $root }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args: ["dist/apps/{{ $svc.name }}/src/main.js"]
          ports:
            {{- if $svc.isGateway }}
            - name: http
              containerPort: {{ $svc.port }}
              protocol: TCP
            {{- end }}
            - name: ops
              containerPort: {{ $svc.opsPort }}
              protocol: TCP
          env:
            {{- include "steward.serviceEnv" (list $root $svc) | nindent 12 }}
          # On the ops port (the gateway's too: OPS_PORT, apart from its API port). /healthz: the
          # process is alive; /readyz: every dependency a request needs answers
          # (/readyz/publishing reports the outbox relay separately: alert on it, do not gate traffic).
          startupProbe:
            httpGet: { path: /healthz, port: ops }
            periodSeconds: 2
            failureThreshold: 60
          livenessProbe:
            httpGet: { path: /healthz, port: ops }
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet: { path: /readyz, port: ops }
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 2
          lifecycle:
            preStop:
              exec:
                command: ["sleep", "{{ $svc.preStopSeconds }}"]
          resources:
            {{- toYaml $svc.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if $root.Values.nats.tls.existingSecret }}
            - name: nats-tls
              mountPath: /etc/steward/nats-tls
              readOnly: true
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
        {{- if $root.Values.nats.tls.existingSecret }}
        - name: nats-tls
          secret:
            secretName: {{ $root.Values.nats.tls.existingSecret }}
        {{- end }}
{{- end }}
{{- end -}}

{{- define "steward.serviceResource" -}}
{{- $root := index . 0 -}}
{{- $svc := include "steward.service" . | fromYaml -}}
{{- if $svc.enabled }}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "steward.componentName" (list $root $svc.name) }}
  labels:
    {{- include "steward.labels" (list $root $svc.name) | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "steward.selectorLabels" (list $root $svc.name) | nindent 4 }}
  ports:
    {{- if $svc.isGateway }}
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
    {{- end }}
    # /healthz, /readyz and /metrics (the ServiceMonitor scrapes this port).
    - name: ops
      port: {{ $svc.opsPort }}
      targetPort: ops
      protocol: TCP
{{- end }}
{{- end -}}

{{- define "steward.serviceAccount" -}}
{{- $root := index . 0 -}}
{{- $svc := include "steward.service" . | fromYaml -}}
{{- if and $svc.enabled $root.Values.serviceAccount.create }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "steward.componentName" (list $root $svc.name) }}
  labels:
    {{- include "steward.labels" (list $root $svc.name) | nindent 4 }}
  {{- with $root.Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: false
{{- end }}
{{- end -}}

{{- define "steward.hpa" -}}
{{- $root := index . 0 -}}
{{- $svc := include "steward.service" . | fromYaml -}}
{{- if and $svc.enabled $svc.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "steward.componentName" (list $root $svc.name) }}
  labels:
    {{- include "steward.labels" (list $root $svc.name) | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "steward.componentName" (list $root $svc.name) }}
  minReplicas: {{ $svc.autoscaling.minReplicas }}
  maxReplicas: {{ $svc.autoscaling.maxReplicas }}
  metrics:
    {{- with $svc.autoscaling.targetCPUUtilizationPercentage }}
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
    {{- with $svc.autoscaling.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
    {{- with $svc.autoscaling.metrics }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  behavior:
    # Scale down slowly: a replica's NATS queue subscription and jobs drain on the way out.
    scaleDown:
      stabilizationWindowSeconds: 300
      policies:
        - type: Pods
          value: 1
          periodSeconds: 60
{{- end }}
{{- end -}}

{{- define "steward.pdb" -}}
{{- $root := index . 0 -}}
{{- $svc := include "steward.service" . | fromYaml -}}
{{- if and $svc.enabled $svc.pdb.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "steward.componentName" (list $root $svc.name) }}
  labels:
    {{- include "steward.labels" (list $root $svc.name) | nindent 4 }}
spec:
  {{- if not (kindIs "invalid" $svc.pdb.minAvailable) }}
  minAvailable: {{ $svc.pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $svc.pdb.maxUnavailable }}
  {{- end }}
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- include "steward.selectorLabels" (list $root $svc.name) | nindent 6 }}
{{- end }}
{{- end -}}

{{/* Egress every Steward process needs: DNS, NATS, PostgreSQL and (when tracing) the collector. */}}
{{- define "steward.egressRules" -}}
{{- $root := . -}}
- ports:
    - { port: 53, protocol: UDP }
    - { port: 53, protocol: TCP }
  {{- with $root.Values.networkPolicy.dnsTo }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- if $root.Values.nats.bundled.enabled }}
- ports:
    - { port: 4222, protocol: TCP }
  to:
    - podSelector:
        matchLabels:
          {{- include "steward.selectorLabels" (list $root "nats") | nindent 10 }}
{{- else }}
- ports:
    - { port: {{ $root.Values.networkPolicy.natsPort }}, protocol: TCP }
  {{- with $root.Values.networkPolicy.natsTo }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- if $root.Values.postgresql.bundled.enabled }}
- ports:
    - { port: 5432, protocol: TCP }
  to:
    - podSelector:
        matchLabels:
          {{- include "steward.selectorLabels" (list $root "postgresql") | nindent 10 }}
{{- else }}
- ports:
    - { port: {{ $root.Values.postgresql.external.port }}, protocol: TCP }
  {{- with $root.Values.networkPolicy.postgresqlTo }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end -}}

{{- define "steward.networkPolicy" -}}
{{- $root := index . 0 -}}
{{- $svc := include "steward.service" . | fromYaml -}}
{{- if and $svc.enabled $root.Values.networkPolicy.enabled }}
# Default deny for this service's pods; then only its flows.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "steward.componentName" (list $root $svc.name) }}
  labels:
    {{- include "steward.labels" (list $root $svc.name) | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "steward.selectorLabels" (list $root $svc.name) | nindent 6 }}
  policyTypes: [Ingress, Egress]
  ingress:
    {{- if $svc.isGateway }}
    # Clients, through the ingress controller, to the API.
    - ports:
        - { port: http, protocol: TCP }
      {{- with $root.Values.networkPolicy.ingressFrom }}
      from:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
    # Prometheus to /metrics on the ops port (the kubelet's probes are not subject to NetworkPolicy).
    - ports:
        - { port: ops, protocol: TCP }
      {{- with $root.Values.networkPolicy.metricsFrom }}
      from:
        {{- toYaml . | nindent 8 }}
      {{- end }}
  egress:
    {{- include "steward.egressRules" $root | nindent 4 }}
    {{- if eq $root.Values.otel.tracesExporter "otlp" }}
    - ports:
        - { port: 4317, protocol: TCP }
        - { port: 4318, protocol: TCP }
      {{- with $root.Values.networkPolicy.otelTo }}
      to:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
    {{- $webhooks := $root.Values.networkPolicy.webhooks }}
    {{- if and $svc.isGateway $webhooks.enabled }}
    # Webhook deliveries to tenants' endpoints on the internet. The gateway itself refuses
    # private, loopback and link-local addresses (unless gateway.webhooks.allowPrivate).
    # No ports: every port; no peers: any address.
    {{- $rule := dict }}
    {{- with $webhooks.ports }}
    {{- $ports := list }}
    {{- range . }}{{ $ports = append $ports (dict "port" . "protocol" "TCP") }}{{ end }}
    {{- $_ := set $rule "ports" $ports }}
    {{- end }}
    {{- with $webhooks.to }}{{ $_ := set $rule "to" . }}{{ end }}
    {{- list $rule | toYaml | nindent 4 }}
    {{- end }}
{{- end }}
{{- end -}}

{{/*
The service's migrations as a Job before the Deployments roll: a pre-install/pre-upgrade
hook (post-install with the bundled trial PostgreSQL, which does not exist before install).
Migrations are idempotent (each runs once, under an advisory lock); the login-role step
creates or updates the service's own login role when the chart manages it.
*/}}
{{- define "steward.migrationJob" -}}
{{- $root := index . 0 -}}
{{- $svc := include "steward.service" . | fromYaml -}}
{{- if and $svc.enabled $svc.migrations.enabled }}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "steward.componentName" (list $root (printf "%s-migrate" $svc.name)) }}
  labels:
    {{- include "steward.labels" (list $root (printf "%s-migrate" $svc.name)) | nindent 4 }}
  annotations:
    helm.sh/hook: {{ ternary "post-install,pre-upgrade" "pre-install,pre-upgrade" $root.Values.postgresql.bundled.enabled }}
    helm.sh/hook-weight: "0"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  activeDeadlineSeconds: {{ $svc.migrations.activeDeadlineSeconds }}
  backoffLimit: {{ $svc.migrations.backoffLimit }}
  ttlSecondsAfterFinished: 86400
  template:
    metadata:
      labels:
        {{- include "steward.selectorLabels" (list $root "migrate") | nindent 8 }}
        steward.dev/service: {{ $svc.name }}
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      enableServiceLinks: false
      {{- include "steward.podSecurity" $root | nindent 6 }}
      {{- with $svc.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if include "steward.provisionLogins" $root }}
      initContainers:
      {{- else }}
      containers:
      {{- end }}
        - name: migrate
          image: {{ include "steward.image" $root }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args: ["dist/apps/{{ $svc.name }}/src/migrate.js"]
          env:
            {{- include "steward.migratorUrlEnv" $root | nindent 12 }}
            - name: LOG_LEVEL
              value: {{ $root.Values.platform.logLevel | quote }}
          resources:
            requests: { cpu: 50m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          volumeMounts:
            - { name: tmp, mountPath: /tmp }
      {{- if include "steward.provisionLogins" $root }}
      containers:
        # The service's login role: a non-superuser member of its runtime roles only (ADR 3).
        - name: login-role
          image: {{ include "steward.image" $root }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args: ["dist/tools/deploy/db-login.js", "{{ $svc.name }}"]
          env:
            {{- include "steward.migratorUrlEnv" $root | nindent 12 }}
            - name: STEWARD_DB_LOGIN_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {{ include "steward.componentName" (list $root "db") }}
                  key: {{ $svc.name }}-password
          resources:
            requests: { cpu: 50m, memory: 96Mi }
            limits: { cpu: 500m, memory: 192Mi }
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          volumeMounts:
            - { name: tmp, mountPath: /tmp }
      {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 16Mi
{{- end }}
{{- end -}}

{{- define "steward.serviceMonitor" -}}
{{- $root := index . 0 -}}
{{- $svc := include "steward.service" . | fromYaml -}}
{{- if and $svc.enabled $svc.serviceMonitor.enabled $root.Values.monitoring.serviceMonitor.enabled }}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "steward.componentName" (list $root $svc.name) }}
  labels:
    {{- include "steward.labels" (list $root $svc.name) | nindent 4 }}
    {{- with $root.Values.monitoring.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "steward.selectorLabels" (list $root $svc.name) | nindent 6 }}
  endpoints:
    - port: ops
      path: /metrics
      interval: {{ $root.Values.monitoring.serviceMonitor.interval }}
{{- end }}
{{- end -}}

{{- define "steward.ingress" -}}
{{- $root := index . 0 -}}
{{- $svc := include "steward.service" . | fromYaml -}}
{{- if and $svc.enabled $root.Values.ingress.enabled }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "steward.componentName" (list $root $svc.name) }}
  labels:
    {{- include "steward.labels" (list $root $svc.name) | nindent 4 }}
  {{- with $root.Values.ingress.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with $root.Values.ingress.className }}
  ingressClassName: {{ . }}
  {{- end }}
  {{- with $root.Values.ingress.tls }}
  tls:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  rules:
    {{- range $root.Values.ingress.hosts }}
    - host: {{ . | quote }}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {{ include "steward.componentName" (list $root $svc.name) }}
                port:
                  name: http
    {{- end }}
{{- end }}
{{- end -}}
