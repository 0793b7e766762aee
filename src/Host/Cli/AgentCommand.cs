using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using k8s;
using TensorFusion.Gpu.Devices;
using TensorFusion.Agent;
using TensorFusion.Agent.Attribution;
using TensorFusion.Agent.Auth;
using TensorFusion.Agent.Registration;
using TensorFusion.Agent.Tls;
using Microsoft.Extensions.Logging;
using TensorFusion.Host.Operator;

namespace TensorFusion.Host.Cli;

/// <summary>`tensorfusion agent`: the node agent (one per GPU node).</summary>
public static class AgentCommand
{
    public static Command Create()
    {
        var nodeName = new Option<string>("--node-name")
        {
            Description = "Name of this node (default: $NODE_NAME, then the host name)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NODE_NAME") ?? Dns.GetHostName(),
        };
        var stateDir = new Option<string>("--state-dir", "--checkpoint-dir")
        {
            Description = "Directory for the checkpoint and the per-worker limit files",
            DefaultValueFactory = _ => "/var/lib/tensorfusion/agent",
        };
        var bind = new Option<string>("--bind") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port (0 picks a free one)", DefaultValueFactory = _ => 8000 };
        var pool = new Option<string>("--pool") { Description = "GPU pool label on the metrics", DefaultValueFactory = _ => "default" };
        var simulate = new Option<string?>("--simulate")
        {
            Description = "Use the simulator instead of NVML: MODEL:COUNT, e.g. A100-80GB:4 (models: A100-40GB, A100-80GB, H100-80GB, H200-141GB, L4)",
        };
        var token = new Option<string?>("--token")
        {
            Description = "Shared secret callers must send as a bearer token (default: $TF_AGENT_TOKEN)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TF_AGENT_TOKEN"),
        };
        var audience = new Option<string?>("--token-review-audience", "--token-audience")
        {
            Description = "Check ServiceAccount tokens with TokenReview (in-cluster) for this audience instead of a shared secret",
        };
        var allowedUsers = new Option<string[]>("--allowed-user", "--operator-service-account")
        {
            Description = "User allowed to push plans with --token-review-audience (repeatable), e.g. system:serviceaccount:tensor-fusion-sys:tensor-fusion-operator",
            AllowMultipleArgumentsPerToken = true,
        };
        var anonymousMetrics = new Option<bool>("--anonymous-metrics") { Description = "Serve /metrics without a token" };
        var metricsAuth = new Option<bool>("--metrics-auth")
        {
            Description = "Require a bearer token on /metrics whose user RBAC allows get on the non-resource URL /metrics (TokenReview + SubjectAccessReview); overrides --anonymous-metrics",
        };
        var listenAddress = new Option<string?>("--listen-address")
        {
            Description = "HOST:PORT to listen on (\":9090\" = all addresses); overrides --bind and --port",
        };
        var nvmlLibrary = new Option<string?>("--nvml-library")
        {
            Description = "Path of libnvidia-ml.so.1 when it is not on the loader path (e.g. mounted from the host)",
        };
        var hostProc = new Option<string?>("--host-proc")
        {
            Description = "The host's /proc mounted read-only (e.g. /host/proc): maps the GPU processes NVML reports to worker pods through their cgroups",
        };
        var hostDev = new Option<string?>("--host-dev") { Description = "Reserved: host /dev mount (not used yet)" };
        var kubeconfig = new Option<string?>("--kubeconfig")
        {
            Description = "Register GPUNode/GPU objects through this kubeconfig (in a pod the in-cluster config is used; without either the agent runs standalone)",
        };
        var tlsCertificate = new Option<string?>("--tls-cert-file")
        {
            Description = "PEM serving certificate (with --tls-key-file). Without it the agent asks the cluster's CSR API for one (signer tensor-fusion.ai/agent-serving) and renews it; it never serves plain HTTP",
        };
        var tlsKey = new Option<string?>("--tls-key-file") { Description = "PEM private key of --tls-cert-file" };
        var command = new Command("agent", "Run the node agent: registers GPUs, applies node plans, serves metrics.")
        {
            nodeName, stateDir, bind, port, pool, simulate, token, audience, allowedUsers, anonymousMetrics, metricsAuth, kubeconfig, listenAddress,
            nvmlLibrary, hostProc, hostDev, tlsCertificate, tlsKey,
        };
        var delivery = new AgentDeliveryFlags();
        delivery.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var problems = new List<string>();
            var simulator = ParseSimulate(parseResult.GetValue(simulate), parseResult.GetValue(nodeName)!, problems);
            var checker = CreateChecker(parseResult.GetValue(token), parseResult.GetValue(audience), parseResult.GetValue(allowedUsers) ?? [], problems);
            var listenPort = parseResult.GetValue(port);
            if (!IPAddress.TryParse(parseResult.GetValue(bind), out var address))
            {
                problems.Add($"--bind: '{parseResult.GetValue(bind)}' is not an IP address");
            }

            if (parseResult.GetValue(listenAddress) is { } listen)
            {
                var colon = listen.LastIndexOf(':');
                var host = colon > 0 ? listen[..colon].Trim('[', ']') : "0.0.0.0";
                if (colon < 0 || !int.TryParse(listen[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out listenPort) ||
                    !IPAddress.TryParse(host, out address))
                {
                    problems.Add($"--listen-address: '{listen}' is not HOST:PORT or :PORT");
                }
            }

            if ((parseResult.GetValue(tlsCertificate) is null) != (parseResult.GetValue(tlsKey) is null))
            {
                problems.Add("--tls-cert-file and --tls-key-file: give both or neither");
            }

            if (problems.Count > 0 || checker is null)
            {
                foreach (var problem in problems)
                {
                    await error.WriteLineAsync($"agent: {problem}");
                }

                return 2;
            }

            var kubernetes = CreateKubernetes(parseResult.GetValue(kubeconfig));
            if (parseResult.GetValue(metricsAuth) && kubernetes is null)
            {
                await error.WriteLineAsync("agent: --metrics-auth needs the API server to review tokens: run in a pod or pass --kubeconfig");
                return 2;
            }

            using var metricsAuthorizer = parseResult.GetValue(metricsAuth) ? DelegatedAuthorizer.Over(kubernetes!, TimeProvider.System) : null;

            IServingCertificateSource certificates;
            try
            {
                certificates = parseResult.GetValue(tlsCertificate) is { } certificateFile
                    ? StaticServingCertificate.FromPemFiles(certificateFile, parseResult.GetValue(tlsKey)!)
                    : kubernetes is not null
                        ? new CsrServingCertificate(kubernetes, parseResult.GetValue(nodeName)!, TimeProvider.System, new TextWriterLogger(output, TimeProvider.System, LogLevel.Information))
                        : throw new ArgumentException("--tls-cert-file and --tls-key-file: required without a cluster (the agent serves TLS only; with --kubeconfig or in a pod it asks the CSR API)");
            }
            catch (ArgumentException problem)
            {
                await error.WriteLineAsync($"agent: {problem.Message}");
                return 2;
            }

            var registrar = kubernetes is null ? null : new KubernetesNodeRegistrar(kubernetes, typeof(AgentCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
            var options = new AgentOptions
            {
                NodeName = parseResult.GetValue(nodeName)!,
                StateDirectory = parseResult.GetValue(stateDir)!,
                TokenChecker = checker,
                ServingCertificate = certificates,
                Pool = parseResult.GetValue(pool)!,
                Backend = simulator is null ? AgentBackend.Nvml : AgentBackend.Simulator,
                Simulator = simulator,
                BindAddress = address!,
                Port = listenPort,
                NvmlLibraryPath = parseResult.GetValue(nvmlLibrary),
                AnonymousMetrics = parseResult.GetValue(anonymousMetrics),
                MetricsAuthorizer = metricsAuthorizer,
                Registrar = registrar,
                Attributor = CreateAttributor(parseResult.GetValue(hostProc), kubernetes, parseResult.GetValue(nodeName)!),
                Delivery = delivery.Build(parseResult, kubernetes, parseResult.GetValue(nodeName)!),
            };
            try
            {
                await using var agent = await NodeAgent.StartAsync(options, cancellationToken);
                await output.WriteLineAsync($"agent {options.NodeName}: listening on {agent.BaseAddress}");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl+C / SIGTERM: dispose the agent and exit cleanly.
                }

                return 0;
            }
            catch (Exception e) when (e is AcceleratorException or ArgumentException or InvalidDataException or IOException or TimeoutException or InvalidOperationException)
            {
                await error.WriteLineAsync($"agent: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static SimulatorOptions? ParseSimulate(string? value, string nodeName, List<string> problems)
    {
        if (value is null)
        {
            return null;
        }

        var parts = value.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 16)
        {
            problems.Add($"--simulate: '{value}' is not MODEL:COUNT with COUNT 1..16 (e.g. A100-80GB:4)");
            return null;
        }

        // Stable per node (string.GetHashCode is randomised per process): same node name, same uuids and noise.
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(nodeName));
        var prefix = nodeName.Length <= 24 ? $"GPU-{nodeName}" : $"GPU-{Convert.ToHexStringLower(digest)[..16]}";
        return new SimulatorOptions(parts[0], count, prefix, BitConverter.ToUInt64(digest));
    }

    private static Kubernetes? CreateKubernetes(string? kubeconfig)
    {
        var configuration = kubeconfig is not null ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)
            : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig()
            : null;
        return configuration is null ? null : new Kubernetes(configuration);
    }

    private static ProcessAttributor? CreateAttributor(string? hostProc, Kubernetes? kubernetes, string nodeName) =>
        hostProc is null || kubernetes is null
            ? null
            : new ProcessAttributor(hostProc, new KubernetesWorkerDirectory(kubernetes, nodeName, TimeProvider.System, TimeSpan.FromSeconds(15)));

    private static IBearerTokenChecker? CreateChecker(string? token, string? audience, string[] allowedUsers, List<string> problems)
    {
        if (audience is not null)
        {
            if (allowedUsers.Length == 0)
            {
                problems.Add("--allowed-user: at least one is required with --token-review-audience");
                return null;
            }

            var client = new Kubernetes(KubernetesClientConfiguration.InClusterConfig());
            return new TokenReviewTokenChecker(
                (review, ct) => client.AuthenticationV1.CreateTokenReviewAsync(review, cancellationToken: ct),
                audience, allowedUsers.ToHashSet(StringComparer.Ordinal), TimeProvider.System);
        }

        if (string.IsNullOrEmpty(token) || token.Length < 16)
        {
            problems.Add("--token (or $TF_AGENT_TOKEN): a shared secret of at least 16 characters is required, or use --token-review-audience");
            return null;
        }

        return new SharedSecretTokenChecker(token);
    }
}
