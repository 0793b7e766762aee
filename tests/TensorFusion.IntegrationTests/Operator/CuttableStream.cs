namespace TensorFusion.IntegrationTests.Operator;

/// <summary>A read-only stream a test can break (IOException) or hold silent.</summary>
internal sealed class CuttableStream(Stream inner, bool stalled, Action<CuttableStream> onDispose) : Stream
{
    private readonly CancellationTokenSource _cut = new();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void Cut() => _cut.Cancel();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cut.Token);
        try
        {
            if (stalled)
            {
                await Task.Delay(Timeout.Infinite, linked.Token);
            }

            return await inner.ReadAsync(buffer, linked.Token);
        }
        catch (OperationCanceledException) when (_cut.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new IOException("connection cut by the test");
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            onDispose(this);
            _cut.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
