using System.Text.Json;
using CsCheck;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Validation;

namespace TensorFusion.Api.Tests.Properties;

/// <summary>Random valid objects of every kind are accepted by the validator and survive JSON → ManifestReader → JSON.</summary>
public sealed class RoundTripProperties
{
    private const int Iterations = 100;

    public static TheoryData<string> Kinds()
    {
        var data = new TheoryData<string>();
        foreach (var kind in ApiKinds.All)
        {
            data.Add(kind.Kind);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void RandomValidObject_ReadBack_SerializesIdentically(string kindName)
    {
        var kind = ApiKinds.All.Single(candidate => candidate.Kind == kindName);

        ApiObjectGen.ForKind(kind).Sample(
            resource =>
            {
                var json = JsonSerializer.Serialize(resource, kind.Type, TensorFusionJson.Options);
                Assert.Empty(ManifestValidator.Validate(resource));

                var result = ManifestReader.Read(json, "generated.json");

                Assert.Empty(result.Errors);
                var back = Assert.Single(result.Objects).Resource;
                Assert.Equal(json, JsonSerializer.Serialize(back, kind.Type, TensorFusionJson.Options));
            },
            iter: Iterations,
            print: resource => JsonSerializer.Serialize(resource, kind.Type, TensorFusionJson.Options));
    }
}
