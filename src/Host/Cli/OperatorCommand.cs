using System.CommandLine;
using TensorFusion.Host.Hosting;
using TensorFusion.Host.Operator;
using TensorFusion.Pipelines.Admission;
using TensorFusion.Pipelines.Operating;

namespace TensorFusion.Host.Cli;

/// <summary>`tensorfusion operator`: the controllers against a real cluster (kubeconfig or in-cluster).</summary>
public static class OperatorCommand
{
    public static Command Create()
    {
        var defaults = new OperatorOptions();
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig file (default: in-cluster config in a pod, else ~/.kube/config)" };
        var context = new Option<string?>("--context") { Description = "Kubeconfig context to use" };
        var bind = new Option<string>("--metrics-bind-address") { Description = "host:port (or :port) for /healthz, /readyz and /metrics", DefaultValueFactory = _ => "127.0.0.1:8080" };
        var metricsAuth = new Option<bool>("--metrics-auth") { Description = "Require a bearer token on /metrics whose user RBAC allows get on the non-resource URL /metrics (TokenReview + SubjectAccessReview)" };
        var leaderElect = new Option<bool>("--leader-elect") { Description = "Compete for a Lease; only the leader writes" };
        var leaseName = new Option<string>("--leader-elect-lease-name", "--leader-election-id") { Description = "Name of the Lease", DefaultValueFactory = _ => defaults.LeaseName };
        var leaseNamespace = new Option<string>("--leader-elect-namespace", "--leader-election-namespace") { Description = "Namespace of the Lease", DefaultValueFactory = _ => defaults.LeaseNamespace };
        var leaseDuration = new Option<double>("--leader-elect-lease-duration") { Description = "Seconds a Lease lasts without renewal", DefaultValueFactory = _ => defaults.LeaseDuration.TotalSeconds };
        var renewDeadline = new Option<double>("--leader-elect-renew-deadline") { Description = "Seconds the leader keeps trying to renew before it stops", DefaultValueFactory = _ => defaults.RenewDeadline.TotalSeconds };
        var retryPeriod = new Option<double>("--leader-elect-retry-period") { Description = "Seconds between Lease attempts", DefaultValueFactory = _ => defaults.RetryPeriod.TotalSeconds };
        var agentTokenFile = new Option<string?>("--agent-token-file") { Description = "File with the bearer token sent to node agents (shared secret or projected ServiceAccount token); re-read every minute" };
        var agentPort = new Option<int>("--agent-port") { Description = "Agent port (HTTPS) on a node's InternalIP", DefaultValueFactory = _ => defaults.AgentPort };
        var agentTrustNamespace = new Option<string>("--agent-trust-namespace") { Description = "Namespace of the agent CA (Secret and ConfigMap tensorfusion-agent-ca) and of the agent ServiceAccount whose certificate requests are signed (default: $POD_NAMESPACE, else tensor-fusion-system)", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns ? ns : "tensor-fusion-system" };
        var agentTimeout = new Option<double>("--agent-timeout") { Description = "Seconds one plan push may take", DefaultValueFactory = _ => defaults.AgentTimeout.TotalSeconds };
        var batchSize = new Option<int>("--allocation-batch-size") { Description = "Workers decided together at most", DefaultValueFactory = _ => defaults.Allocation.MaxBatchSize };
        var batchWindow = new Option<int>("--allocation-batch-window-ms") { Description = "Milliseconds a partial batch waits before it is decided", DefaultValueFactory = _ => (int)defaults.Allocation.BatchWindow.TotalMilliseconds };
        var prometheusUrl = new Option<string?>("--prometheus-url") { Description = "Prometheus the autoscaler reads worker usage from (default: scrape the agents' /metrics)" };
        var autoscalingInterval = new Option<double>("--autoscaling-interval") { Description = "Seconds between autoscaler passes (a workload's autoSetResources.interval, if longer, still applies)", DefaultValueFactory = _ => defaults.Autoscaling.Tick.TotalSeconds };
        var checkpointInterval = new Option<double>("--autoscaling-checkpoint-interval") { Description = "Seconds between saves of usage histograms on the workloads when agents are scraped (no --prometheus-url); a crash loses at most this much history", DefaultValueFactory = _ => defaults.Autoscaling.CheckpointInterval.TotalSeconds };
        var gracefulShutdown = new Option<double>("--graceful-shutdown-timeout") { Description = "Seconds a stop (SIGTERM) drains in-flight reconciles, the allocation batch and plan pushes before releasing the Lease; keep it below the pod's terminationGracePeriodSeconds", DefaultValueFactory = _ => defaults.GracefulShutdownTimeout.TotalSeconds };
        var draClaims = new Option<bool>("--dra-claims") { Description = "Give each worker pod a ResourceClaim the allocator allocates before binding (DRA, Kubernetes 1.34+); false for device-plugin mode", DefaultValueFactory = _ => true };
        var webhookBind = new Option<string>("--webhook-bind-address") { Description = "host:port (or :port) where the pod admission webhook serves HTTPS with a certificate the operator issues and rotates itself; \"off\" serves none", DefaultValueFactory = _ => ":9443" };
        var webhookService = new Option<string>("--webhook-service") { Description = "Service in front of the webhook; its DNS names go into the serving certificate", DefaultValueFactory = _ => "tensorfusion-operator-webhook" };
        var webhookNamespace = new Option<string>("--webhook-namespace") { Description = "Namespace of that Service (default: $POD_NAMESPACE, else tensor-fusion-system)", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns ? ns : "tensor-fusion-system" };
        var webhookConfiguration = new Option<string>("--webhook-configuration") { Description = "MutatingWebhookConfiguration whose caBundle the operator keeps current", DefaultValueFactory = _ => PodWebhookConfiguration.Name };
        var autoMigrate = new Option<bool>("--auto-migrate-native-gpu") { Description = "Admit pods asking for nvidia.com/gpu without the tensor-fusion.ai/enabled label as whole-GPU shares (upstream's autoMigration)" };
        var concurrency = new Option<int>("--max-concurrent-reconciles") { Description = "Workloads reconciled at once", DefaultValueFactory = _ => defaults.MaxConcurrentReconciles };

        var command = new Command("operator", "Run the TensorFusion controllers against a Kubernetes cluster.")
        {
            kubeconfig, context, bind, metricsAuth, leaderElect, leaseName, leaseNamespace, leaseDuration, renewDeadline, retryPeriod, gracefulShutdown, concurrency,
            agentTokenFile, agentPort, agentTrustNamespace, agentTimeout, batchSize, batchWindow, prometheusUrl, autoscalingInterval, checkpointInterval, draClaims,
            webhookBind, webhookService, webhookNamespace, webhookConfiguration, autoMigrate,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var options = new OperatorHostOptions
            {
                Kubeconfig = parseResult.GetValue(kubeconfig),
                Context = parseResult.GetValue(context),
                MetricsBindAddress = parseResult.GetValue(bind)!,
                MetricsAuth = parseResult.GetValue(metricsAuth),
                AgentTokenFile = parseResult.GetValue(agentTokenFile),
                AgentTrustNamespace = parseResult.GetValue(agentTrustNamespace)!,
                PrometheusUrl = parseResult.GetValue(prometheusUrl),
                WebhookBindAddress = parseResult.GetValue(webhookBind) is { } webhookAddress && webhookAddress != "off" ? webhookAddress : null,
                WebhookCertificateNames = OperatorHostOptions.ServiceDnsNames(parseResult.GetValue(webhookService)!, parseResult.GetValue(webhookNamespace)!),
                WebhookConfigurationName = parseResult.GetValue(webhookConfiguration)!,
                AutoMigrateNativeGpu = parseResult.GetValue(autoMigrate),
                Operator = defaults with
                {
                    LeaderElection = parseResult.GetValue(leaderElect),
                    LeaseName = parseResult.GetValue(leaseName)!,
                    LeaseNamespace = parseResult.GetValue(leaseNamespace)!,
                    LeaseDuration = TimeSpan.FromSeconds(parseResult.GetValue(leaseDuration)),
                    RenewDeadline = TimeSpan.FromSeconds(parseResult.GetValue(renewDeadline)),
                    RetryPeriod = TimeSpan.FromSeconds(parseResult.GetValue(retryPeriod)),
                    GracefulShutdownTimeout = TimeSpan.FromSeconds(parseResult.GetValue(gracefulShutdown)),
                    MaxConcurrentReconciles = parseResult.GetValue(concurrency),
                    AgentPort = parseResult.GetValue(agentPort),
                    AgentTimeout = TimeSpan.FromSeconds(parseResult.GetValue(agentTimeout)),
                    DraClaims = parseResult.GetValue(draClaims),
                    Autoscaling = defaults.Autoscaling with
                    {
                        Tick = TimeSpan.FromSeconds(parseResult.GetValue(autoscalingInterval)),
                        CheckpointInterval = TimeSpan.FromSeconds(parseResult.GetValue(checkpointInterval)),
                    },
                    Allocation = defaults.Allocation with
                    {
                        MaxBatchSize = parseResult.GetValue(batchSize),
                        BatchWindow = TimeSpan.FromMilliseconds(parseResult.GetValue(batchWindow)),
                    },
                },
            };
            if (await CliProblems.ReportAsync(error, options.Validate()))
            {
                return 2;
            }

            using var signals = new ShutdownSignals(cancellationToken);
            return await OperatorHost.RunAsync(options, output, signals.Token);
        });
        return command;
    }
}
