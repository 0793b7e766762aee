using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Schema;

namespace TensorFusion.LocalCluster.Tests.Schema;

public sealed class CelValidationTests
{
    private static readonly JsonObject Schema = JsonNode.Parse("""
        {"type":"object","properties":{"spec":{"type":"object",
          "x-kubernetes-validations":[{"rule":"!has(self.low) || !has(self.high) || self.low <= self.high","message":"low must not exceed high","fieldPath":".low","reason":"FieldValueRequired"}],
          "properties":{
            "low":{"type":"integer"},"high":{"type":"integer"},
            "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
              "items":{"type":"object","properties":{"name":{"type":"string"},"number":{"type":"integer"}},
                "x-kubernetes-validations":[{"rule":"self.number == oldSelf.number","message":"a port keeps its number"}]}}}}}}
        """)!.AsObject();

    [Fact]
    public void Apply_FieldPathAndReason_ErrorNamesTheFieldWithTheReason()
    {
        var result = new SchemaValidation();

        CelValidation.Apply(Spec("""{"low":5,"high":3}"""), null, Schema, result);

        Assert.Equal(("spec.low", "Required value: low must not exceed high"), Assert.Single(result.Errors));
    }

    [Fact]
    public void Apply_ListMapTransitionRule_CorrelatesItemsByKey()
    {
        var old = Spec("""{"ports":[{"name":"http","number":80},{"name":"grpc","number":90}]}""");
        var reordered = Spec("""{"ports":[{"name":"grpc","number":90},{"name":"http","number":80},{"name":"new","number":1}]}""");
        var changed = Spec("""{"ports":[{"name":"grpc","number":91},{"name":"http","number":80}]}""");
        var created = new SchemaValidation();
        var kept = new SchemaValidation();
        var refused = new SchemaValidation();

        CelValidation.Apply(old, null, Schema, created);
        CelValidation.Apply(reordered, old, Schema, kept);
        CelValidation.Apply(changed, old, Schema, refused);

        // Items correlate by name, not index: the reordered list and the new item (no old value) pass; grpc 90 → 91 fails.
        Assert.Empty(created.Errors);
        Assert.Empty(kept.Errors);
        Assert.Equal(("spec.ports[0]", "Invalid value: \"object\": a port keeps its number"), Assert.Single(refused.Errors));
    }

    [Fact]
    public void Apply_ManyThreadsOnOneCompiledRule_EachGetsItsOwnAnswer()
    {
        var failures = 0;

        // 2 000 evaluations on 8 threads; odd i has low > high and must fail, even i must pass: 1 000 failures.
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var result = new SchemaValidation();
            CelValidation.Apply(Spec($$"""{"low":{{i}},"high":{{(i % 2 == 0 ? i + 1 : i - 1)}}}"""), null, Schema, result);
            if (result.Errors.Count != (i % 2))
            {
                throw new InvalidOperationException($"i={i}: {result.Errors.Count} errors");
            }

            if (result.Errors.Count == 1)
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(1000, failures);
    }

    private static JsonObject Spec(string spec) => JsonNode.Parse($$"""{"spec":{{spec}}}""")!.AsObject();
}
