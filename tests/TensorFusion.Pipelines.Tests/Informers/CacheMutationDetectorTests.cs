using k8s.Models;
using TensorFusion.Pipelines.Informers;

namespace TensorFusion.Pipelines.Tests.Informers;

public sealed class CacheMutationDetectorTests
{
    [Fact]
    public void InformerOptions_TestRunSettings_TurnTheDetectorOnByDefault()
    {
        // tests/test.runsettings sets TF_CACHE_MUTATION_DETECTOR=1 for every test process: informers built with plain
        // options in any test check their caches too. Failing here means the tests run without the detector.
        Assert.True(new InformerOptions().DetectMutations, $"{InformerOptions.MutationDetectorVariable} is not set for this test run");
    }

    [Fact]
    public void Verify_LabelChangedInPlace_ThrowsNamingKindKeyAndField()
    {
        var detector = new CacheMutationDetector<V1ConfigMap>("ConfigMap");
        var cached = ConfigMap();
        detector.Record("default/cm", cached);

        cached.Metadata.Labels["team"] = "b";

        var mutation = Assert.Throws<CacheMutationException>(() => detector.Verify("default/cm", cached));
        Assert.Equal("ConfigMap", mutation.Kind);
        Assert.Equal("default/cm", mutation.Key);
        Assert.Equal("metadata.labels.team: \"a\" → \"b\"", mutation.Difference);
        Assert.Contains("ConfigMap default/cm was modified in the informer cache", mutation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyAndForget_ListItemAppended_NamesTheListAndBothLengths()
    {
        var detector = new CacheMutationDetector<V1ConfigMap>("ConfigMap");
        var cached = ConfigMap();
        detector.Record("default/cm", cached);

        cached.Metadata.Finalizers.Add("second");

        var mutation = Assert.Throws<CacheMutationException>(() => detector.VerifyAndForget("default/cm"));
        Assert.Equal("metadata.finalizers: 1 items → 2 items", mutation.Difference);
    }

    [Fact]
    public void VerifyAll_FieldAddedToOneOfTwo_NamesThatObjectAndTheAddedField()
    {
        var detector = new CacheMutationDetector<V1ConfigMap>("ConfigMap");
        var untouched = ConfigMap();
        var touched = ConfigMap();
        detector.Record("default/a", untouched);
        detector.Record("default/b", touched);

        touched.Data["new"] = "x";

        var mutation = Assert.Throws<CacheMutationException>(detector.VerifyAll);
        Assert.Equal("default/b", mutation.Key);
        Assert.Equal("data.new: (absent) → \"x\"", mutation.Difference);
    }

    [Fact]
    public void Verify_NewerVersionReplacedTheObject_DoesNotCompareAcrossVersions()
    {
        // A newer version from the watch is a different object, recorded afresh: never a mutation of the old one.
        var detector = new CacheMutationDetector<V1ConfigMap>("ConfigMap");
        detector.Record("default/cm", ConfigMap());
        var newer = ConfigMap();
        newer.Data["v"] = "2";
        detector.Record("default/cm", newer);

        detector.Verify("default/cm", newer);
        detector.VerifyAll();
    }

    [Fact]
    public void Reset_UnchangedObjectsKept_LaterMutationOfAKeptOneStillDetected()
    {
        var detector = new CacheMutationDetector<V1ConfigMap>("ConfigMap");
        var kept = ConfigMap();
        detector.Record("default/kept", kept);
        detector.Record("default/gone", ConfigMap());
        detector.Reset([new("default/kept", kept)]);

        kept.Data["v"] = "changed";

        var mutation = Assert.Throws<CacheMutationException>(detector.VerifyAll);
        Assert.Equal("default/kept", mutation.Key);
        Assert.Equal("data.v: \"1\" → \"changed\"", mutation.Difference);
    }

    private static V1ConfigMap ConfigMap() => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta
        {
            Name = "cm",
            NamespaceProperty = "default",
            ResourceVersion = "5",
            Labels = new Dictionary<string, string> { ["team"] = "a" },
            Finalizers = ["first"],
        },
        Data = new Dictionary<string, string> { ["v"] = "1" },
    };
}
