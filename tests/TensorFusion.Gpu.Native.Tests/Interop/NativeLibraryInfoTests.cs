namespace TensorFusion.Gpu.Native.Tests.Interop;

public sealed class NativeLibraryInfoTests
{
    [Fact]
    public void LoadedAbiVersion_BuiltLibrary_MatchesBindings()
    {
        Assert.Equal(NativeLibraryInfo.ExpectedAbiVersion, NativeLibraryInfo.LoadedAbiVersion);
    }
}
