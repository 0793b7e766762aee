namespace TensorFusion.IntegrationTests.Operator;

/// <summary>A read-only stream a test can break (IOException), break in the middle of a line, or hold silent.</summary>
internal sealed class CuttableStream(Stream inner, bool stalled, Action<CuttableStream> onDispose) : Stream
{
    /// <summary>What a connection reset mid-chunk leaves in the reader's buffer: the start of an event, no newline.</summary>
    private static readonly byte[] TornEvent = """{"type":"MODIFIED","object":{"apiVersion":"v1","metadata":{"name":"torn"""u8.ToArray();

    private readonly CancellationTokenSource _cut = new();
    private byte[]? _torn;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void Cut() => _cut.Cancel();

    /// <summary>Breaks the stream after one more read that returns half an event (a reset in the middle of a chunk).</summary>
    public void CutMidEvent()
    {
        _torn = TornEvent;
        _cut.Cancel();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_cut.IsCancellationRequested)
        {
            return TornOrBroken(buffer);
        }

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
            return TornOrBroken(buffer);
        }
    }

    private int TornOrBroken(Memory<byte> buffer)
    {
        if (Interlocked.Exchange(ref _torn, null) is { } torn && torn.Length <= buffer.Length)
        {
            torn.CopyTo(buffer);
            return torn.Length;
        }

        throw new IOException("connection cut by the test");
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
