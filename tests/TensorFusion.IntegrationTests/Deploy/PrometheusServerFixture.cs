using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>
/// A real Prometheus on 127.0.0.1 (ephemeral port, temporary storage, 1 s scrape and rule interval) that
/// scrapes <see cref="SampleMetricsServer"/> under the job names the rules expect and loads the alert rules.
/// </summary>
public sealed class PrometheusServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(45);
    private readonly ConcurrentQueue<string> _log = new();
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tensorfusion-prometheus-");
    private SampleMetricsServer? _samples;
    private Process? _prometheus;
    private Uri _baseAddress = new("http://127.0.0.1/");

    internal HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    internal string Log => string.Join('\n', _log.TakeLast(40));

    public async Task InitializeAsync()
    {
        var executable = ExternalTool.Require("prometheus", ExternalTool.PrometheusHint);
        _samples = await SampleMetricsServer.StartAsync(TimeProvider.System);
        var config = Path.Combine(_directory.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files:
              - {RepositoryLayout.AlertRulesFile}
            scrape_configs:
              - job_name: tensorfusion-operator
                metrics_path: /operator/metrics
                static_configs:
                  - targets: ['{_samples.Authority}']
              - job_name: tensorfusion-agent
                metrics_path: /agent/metrics
                static_configs:
                  - targets: ['{_samples.Authority}']
            """);

        // The free port is found by binding port 0 and releasing it, so another process can take it in
        // between: Prometheus then exits with "address already in use" and a new port is tried.
        for (var attempt = 1; !await StartOnFreePortAsync(executable, config); attempt++)
        {
            Assert.True(attempt < 3, $"prometheus found no free port in 3 attempts:\n{Log}");
        }

        await WaitUntilScrapedAsync();
    }

    /// <summary>Runs an instant query; returns the parsed API response (status, data.result, error).</summary>
    internal async Task<JsonObject> QueryAsync(string expression)
    {
        using var response = await Http.GetAsync(new Uri(_baseAddress, "api/v1/query?query=" + Uri.EscapeDataString(expression)));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    internal async Task<JsonObject> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(_baseAddress, path));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>
    /// Polls (Prometheus is an external process: there is no signal to await) until both jobs are up and
    /// have at least three samples in the last minute, which rate() over 1m needs.
    /// </summary>
    internal async Task WaitUntilAsync(string description, Func<Task<bool>> condition)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(ReadyTimeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.False(_prometheus!.HasExited, $"prometheus exited with {(_prometheus.HasExited ? _prometheus.ExitCode : 0)}:\n{Log}");

            Assert.True(TimeProvider.System.GetTimestamp() < deadline, $"timed out after {ReadyTimeout} waiting until {description}; prometheus log:\n{Log}");
            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System);
        }
    }

    public async Task DisposeAsync()
    {
        if (_prometheus is { HasExited: false })
        {
            _prometheus.Kill(entireProcessTree: true);
            await _prometheus.WaitForExitAsync();
        }

        _prometheus?.Dispose();
        Http.Dispose();
        if (_samples is not null)
        {
            await _samples.DisposeAsync();
        }

        _directory.Delete(recursive: true);
    }

    private Task WaitUntilScrapedAsync() => WaitUntilAsync("both jobs have 3 samples", async () =>
    {
        var response = await QueryAsync("count_over_time(up{job=~\"tensorfusion-(operator|agent)\"}[1m]) >= 3 and on (job, instance) up == 1");
        return (string?)response["status"] == "success" && response["data"]!["result"]!.AsArray().Count == 2;
    });

    private async Task<bool> StartOnFreePortAsync(string executable, string config)
    {
        var port = FreeLoopbackPort();
        _baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList =
            {
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(_directory.FullName, $"data-{port}")}",
                $"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            },
        };
        _prometheus?.Dispose();
        _prometheus = Process.Start(startInfo) ?? throw new InvalidOperationException("prometheus did not start");
        _prometheus.OutputDataReceived += (_, line) => { if (line.Data is not null) { _log.Enqueue(line.Data); } };
        _prometheus.ErrorDataReceived += (_, line) => { if (line.Data is not null) { _log.Enqueue(line.Data); } };
        _prometheus.BeginOutputReadLine();
        _prometheus.BeginErrorReadLine();

        var listening = false;
        await WaitUntilAsync("prometheus answers /-/ready", async () =>
        {
            if (_prometheus.HasExited)
            {
                await _prometheus.WaitForExitAsync();
                Assert.Contains("address already in use", Log, StringComparison.Ordinal);
                return true;
            }

            using var response = await Http.GetAsync(new Uri(_baseAddress, "-/ready"));
            listening = response.IsSuccessStatusCode;
            return listening;
        });
        return listening;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
