using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TensorFusion.LocalCluster;

namespace TensorFusion.Benchmarks.Scenarios;

/// <summary>
/// The embedded API server over loopback HTTPS: creates/s with 256 requests in flight, one list of 10 000 objects,
/// watch events/s to one and to 100 watchers (replay of 10 000 ADDED events from a resourceVersion, lines counted
/// by the reader, not decoded), and the raw System.Text.Json decode rate of the same objects for comparison.
/// Writes go over HTTP/2, as KubernetesClient and kubectl (client-go) send them; `writesPerSecondHttp11` is the same
/// run over HTTP/1.1 and `writesPerSecondDurable` the HTTP/2 run against SQLite (a state directory, as
/// `tensorfusion local` uses). A throwaway server takes 5 000 creates first, so the figures are the steady state of a
/// long-running server rather than the JIT's first minutes. `writeCpuMicroseconds` is the process CPU time (client and
/// server together) per create in the HTTP/2 run: it barely moves with other load on the machine, so 2 000 000 divided
/// by it bounds what two idle cores could do. Goals: ≥ 5 000 writes/s, ≥ 60 000 watch events/s.
/// </summary>
public sealed class LocalClusterScenario : IScenario
{
    private const int Objects = 10_000;
    private const int WarmUpObjects = 5_000;
    private const int InFlight = 256;
    private const int Watchers = 100;

    public string Name => "localcluster";

    public string Description => "API server creates/s (HTTP/2, HTTP/1.1, SQLite), list 10k, watch events/s (1 and 100 watchers), vs raw JSON decode";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(CancellationToken cancellationToken)
    {
        await using (var warmUp = await LocalApiServer.StartAsync(new LocalApiServerOptions(), cancellationToken))
        {
            using var warmUpHttp = CreateClient(warmUp, HttpVersion.Version20);
            await MeasureWritesPerSecondAsync(warmUpHttp, WarmUpObjects, cancellationToken);
        }

        var writesHttp11 = await MeasureFreshServerWritesAsync(HttpVersion.Version11, stateDirectory: null, cancellationToken);
        var state = Directory.CreateTempSubdirectory("tf-localcluster-bench-");
        double writesDurable;
        try
        {
            writesDurable = await MeasureFreshServerWritesAsync(HttpVersion.Version20, state.FullName, cancellationToken);
        }
        finally
        {
            state.Delete(recursive: true);
        }

        await using var server = await LocalApiServer.StartAsync(new LocalApiServerOptions(), cancellationToken);
        using var http = CreateClient(server, HttpVersion.Version20);
        var start = server.Store.Revision;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var writes = await MeasureWritesPerSecondAsync(http, Objects, cancellationToken);
        var cpuPerWrite = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / Objects;
        using var http11 = CreateClient(server, HttpVersion.Version11);
        var (listMs, listBody) = await MeasureListAsync(http11, cancellationToken);
        var oneWatcher = await MeasureWatchAsync(http11, start, 1, cancellationToken);
        var hundredWatchers = await MeasureWatchAsync(http11, start, Watchers, cancellationToken);
        IReadOnlyDictionary<string, double> figures = new Dictionary<string, double>
        {
            ["writesPerSecond"] = writes,
            ["writesPerSecondHttp11"] = writesHttp11,
            ["writesPerSecondDurable"] = writesDurable,
            ["writeCpuMicroseconds"] = cpuPerWrite,
            ["listTenThousandMs"] = listMs,
            ["watchEventsPerSecond"] = oneWatcher,
            ["watchEventsPerSecondHundredWatchers"] = hundredWatchers,
            ["jsonDecodeObjectsPerSecond"] = MeasureJsonDecode(listBody),
        };
        return figures;
    }

    private static HttpClient CreateClient(LocalApiServer server, Version version)
    {
        var http = server.CreateHttpClient();
        http.Timeout = TimeSpan.FromMinutes(5);
        http.DefaultRequestVersion = version;
        http.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        return http;
    }

    private static async Task<double> MeasureFreshServerWritesAsync(Version version, string? stateDirectory, CancellationToken cancellationToken)
    {
        await using var server = await LocalApiServer.StartAsync(new LocalApiServerOptions { StateDirectory = stateDirectory }, cancellationToken);
        using var http = CreateClient(server, version);
        return await MeasureWritesPerSecondAsync(http, Objects, cancellationToken);
    }

    /// <summary>Creates <paramref name="count"/> ConfigMaps of about 1 KB each with a fixed number of requests in flight.</summary>
    private static async Task<double> MeasureWritesPerSecondAsync(HttpClient http, int count, CancellationToken cancellationToken)
    {
        var payload = new string('x', 800);
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                using var content = new StringContent(
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"bench-" + index +
                    "\",\"labels\":{\"app\":\"bench\"}},\"data\":{\"payload\":\"" + payload + "\"}}",
                    Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
                using var response = await http.PostAsync("api/v1/namespaces/default/configmaps", content, cancellationToken);
                response.EnsureSuccessStatusCode();
            }
        }));
        return count / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>The best of three full lists (bytes read to the end), and the last body for the decode comparison.</summary>
    private static async Task<(double Milliseconds, byte[] Body)> MeasureListAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var best = double.MaxValue;
        byte[] body = [];
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var stopwatch = Stopwatch.StartNew();
            body = await http.GetByteArrayAsync("api/v1/namespaces/default/configmaps", cancellationToken);
            best = Math.Min(best, stopwatch.Elapsed.TotalMilliseconds);
        }

        return (best, body);
    }

    /// <summary>Total events per second delivered to <paramref name="watchers"/> concurrent watches replaying every create.</summary>
    private static async Task<double> MeasureWatchAsync(HttpClient http, long fromRevision, int watchers, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, watchers).Select(_ => CountEventsAsync(http, fromRevision, cancellationToken)));
        return counts.Sum() / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<long> CountEventsAsync(HttpClient http, long fromRevision, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(
            $"api/v1/namespaces/default/configmaps?watch=true&resourceVersion={fromRevision}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[256 * 1024];
        long lines = 0;
        while (lines < Objects)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }

            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return lines;
    }

    /// <summary>Objects per second that System.Text.Json parses when each list item is decoded on its own.</summary>
    private static double MeasureJsonDecode(byte[] listBody)
    {
        using var list = JsonDocument.Parse(listBody);
        var items = list.RootElement.GetProperty("items").EnumerateArray().Select(item => Encoding.UTF8.GetBytes(item.GetRawText())).ToList();
        var stopwatch = Stopwatch.StartNew();
        var decoded = 0;
        foreach (var item in items)
        {
            using var document = JsonDocument.Parse(item);
            decoded += document.RootElement.GetProperty("metadata").GetProperty("name").GetString()!.Length > 0 ? 1 : 0;
        }

        return decoded / stopwatch.Elapsed.TotalSeconds;
    }
}
