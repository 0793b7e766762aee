namespace TensorFusion.Host.Tests.Cli;

/// <summary>Writes fleet and workload YAML to a fresh temporary folder for one test and removes it afterwards.</summary>
internal sealed class SimulationFiles : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tf-simulate-" + Guid.NewGuid().ToString("N"));

    public SimulationFiles(string fleet, string workloads)
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Fleet, fleet);
        File.WriteAllText(Workloads, workloads);
    }

    public string Fleet => Path.Combine(_folder, "fleet.yaml");

    public string Workloads => Path.Combine(_folder, "workloads.yaml");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static string Workload(string name, string spec, string ns = "team", string annotations = "") => $"""
        apiVersion: tensor-fusion.ai/v1
        kind: TensorFusionWorkload
        metadata:
          name: {name}
          namespace: {ns}
        {annotations}
        spec:
        {spec}
        ---

        """;
}
