using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Api.Tests.Serialization;

/// <summary>Bad input gets one precise error naming the document, the line and the field path, never a crash.</summary>
public sealed class ManifestReaderErrorTests
{
    private const string Header = """
        apiVersion: tensor-fusion.ai/v1
        kind: TensorFusionWorkload
        metadata:
          name: w
        spec:

        """;

    [Fact]
    public void Read_UnknownEnumValue_ListsTheSupportedValues()
    {
        var error = SingleError(Header + "  qos: ultra\n");

        Assert.Equal("spec.qos", error.FieldPath);
        Assert.Equal(6, error.Line);
        Assert.Equal("unsupported value \"ultra\"; supported: low, medium, high, critical", error.Message);
    }

    [Fact]
    public void Read_QuotedNumberForInteger_SaysWhatWasExpected()
    {
        var error = SingleError(Header + "  gpuCount: \"3\"\n");

        Assert.Equal("spec.gpuCount", error.FieldPath);
        Assert.Equal("expected an integer, got string \"3\"", error.Message);
    }

    [Fact]
    public void Read_NumberForStringField_SaysWhatWasExpected()
    {
        var error = SingleError(Header + "  autoScalingConfig:\n    autoSetResources:\n      targetComputePercentile: 0.95\n");

        Assert.Equal("spec.autoScalingConfig.autoSetResources.targetComputePercentile", error.FieldPath);
        Assert.Equal(8, error.Line);
        Assert.Equal("expected a string, got number 0.95", error.Message);
    }

    [Fact]
    public void Read_NegativeQuantity_IsRejected()
    {
        var error = SingleError(Header + "  resources:\n    requests:\n      tflops: \"-1\"\n");

        Assert.Equal("spec.resources.requests.tflops", error.FieldPath);
        Assert.Equal(8, error.Line);
        Assert.Equal("must not be negative, got -1", error.Message);
    }

    [Fact]
    public void Read_MalformedQuantity_IsRejected()
    {
        var error = SingleError(Header + "  resources:\n    limits:\n      vram: 16GB\n");

        Assert.Equal("spec.resources.limits.vram", error.FieldPath);
        Assert.StartsWith("invalid quantity \"16GB\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GpuCountZero_ReportsTheBounds()
    {
        var error = SingleError(Header + "  gpuCount: 0\n");

        Assert.Equal("spec.gpuCount", error.FieldPath);
        Assert.Equal("must be between 1 and 128, got 0", error.Message);
    }

    [Fact]
    public void Read_ListOverItsBound_ReportsCountAndBound()
    {
        // cronScalingRules is bounded at 16 items; 17 are given.
        var rules = string.Concat(Enumerable.Range(0, 17).Select(i => $"      - name: r{i}\n"));
        var error = SingleError(Header + "  autoScalingConfig:\n    cronScalingRules:\n" + rules);

        Assert.Equal("spec.autoScalingConfig.cronScalingRules", error.FieldPath);
        Assert.Equal("must have at most 16 items, got 17", error.Message);
    }

    [Fact]
    public void Read_MalformedYaml_ReportsTheLine()
    {
        var error = SingleError(Header + "  qos: [high\n  gpuCount: 1\n");

        Assert.Equal(string.Empty, error.FieldPath);
        Assert.NotNull(error.Line);
        Assert.StartsWith("malformed YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MisspelledField_SuggestsTheRealOne()
    {
        var error = SingleError(Header + "  gpuCont: 2\n");

        Assert.Equal("spec.gpuCont", error.FieldPath);
        Assert.Equal("unknown field; did you mean \"gpuCount\"?", error.Message);
    }

    [Fact]
    public void Read_UpdateThresholdAboveMargin_BreaksTheCelTwin()
    {
        var error = SingleError(Header + "  autoScalingConfig:\n    autoSetResources:\n      marginFraction: \"0.1\"\n      updateThreshold: \"0.2\"\n");

        Assert.Equal("spec.autoScalingConfig.autoSetResources.updateThreshold", error.FieldPath);
        Assert.Equal("must not exceed marginFraction (0.1), got 0.2", error.Message);
    }

    [Fact]
    public void Read_PercentileOutOfRange_ReportsTheRange()
    {
        var error = SingleError(Header + "  autoScalingConfig:\n    autoSetResources:\n      targetVRAMPercentile: \"1.5\"\n");

        Assert.Equal("spec.autoScalingConfig.autoSetResources.targetVRAMPercentile", error.FieldPath);
        Assert.Equal("must be a decimal number string between 0 and 1, got \"1.5\"", error.Message);
    }

    [Fact]
    public void Read_ErrorInSecondDocument_NamesThatDocumentAndKeepsTheFirst()
    {
        var text = Header + "  gpuCount: 1\n---\n" + Header + "  isolation: strong\n";

        var result = ManifestReader.Read(text, "two.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.DocumentIndex);
        Assert.Equal(13, error.Line);
        Assert.Equal("two.yaml: document 2, line 13: spec.isolation: unsupported value \"strong\"; supported: shared, soft, hard, partitioned", error.ToString());
        Assert.IsType<TensorFusionWorkload>(Assert.Single(result.Objects).Resource);
    }

    [Fact]
    public void Read_ForeignKind_IsAnErrorUnlessIgnored()
    {
        const string text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n";

        var error = SingleError(text);
        var ignored = ManifestReader.Read(text, "x.yaml", new ManifestReadOptions { IgnoreForeignKinds = true });

        Assert.Equal("kind", error.FieldPath);
        Assert.StartsWith("unsupported apps/v1 Deployment; supported: tensor-fusion.ai/v1 TensorFusionWorkload", error.Message, StringComparison.Ordinal);
        Assert.Empty(ignored.Errors);
        Assert.Empty(ignored.Objects);
    }

    [Fact]
    public void Read_MissingKind_IsRequired()
    {
        var error = SingleError("apiVersion: tensor-fusion.ai/v1\nmetadata:\n  name: x\n");

        Assert.Equal("kind", error.FieldPath);
        Assert.Equal("required", error.Message);
    }

    [Fact]
    public void Read_JsonListOfWorkloads_ReadsEveryItemAndNamesBadOnes()
    {
        const string text = """
            {"apiVersion": "v1", "kind": "List", "items": [
              {"apiVersion": "tensor-fusion.ai/v1", "kind": "TensorFusionWorkload", "metadata": {"name": "a"}, "spec": {"gpuCount": 2}},
              {"apiVersion": "tensor-fusion.ai/v1", "kind": "TensorFusionWorkload", "metadata": {"name": "b"}, "spec": {"replicas": true}}
            ]}
            """;

        var result = ManifestReader.Read(text, "list.json");

        var error = Assert.Single(result.Errors);
        Assert.Equal("items[1].spec.replicas", error.FieldPath);
        Assert.Equal(3, error.Line);
        Assert.Equal("expected an integer, got boolean true", error.Message);
        Assert.Equal(2, ((TensorFusionWorkload)Assert.Single(result.Objects).Resource).Spec.GpuCount);
    }

    [Fact]
    public void ReadSingle_WrongKind_Throws()
    {
        const string text = "apiVersion: tensor-fusion.ai/v1\nkind: GPUPool\nmetadata:\n  name: p\nspec:\n  nodeManagerConfig: {}\n";

        var exception = Assert.Throws<ManifestException>(() => ManifestReader.ReadSingle<TensorFusionWorkload>(text, "pool.yaml"));

        Assert.Equal("pool.yaml: document 1, line 1: kind: expected TensorFusionWorkload, got GPUPool", exception.Message);
    }

    private static ManifestError SingleError(string text) => Assert.Single(ManifestReader.Read(text, "test.yaml").Errors);
}
