using System.Security.Cryptography;
using System.Text;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Security;

namespace HotelAgent.Tests.Security;

public sealed class BoundedBodyReaderTests
{
    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_without_reading()
    {
        var stream = new CountingStream(long.MaxValue);

        var result = await BoundedBodyReader.ReadAsync(stream, 29_000_000, 1 << 20, null, CancellationToken.None);

        Assert.Equal(BodyReadStatus.TooLarge, result.Status);
        Assert.Equal(0, stream.BytesRead);
    }

    [Fact]
    public async Task An_endless_undeclared_body_stops_just_past_the_limit()
    {
        var stream = new CountingStream(long.MaxValue);

        var result = await BoundedBodyReader.ReadAsync(stream, null, 1 << 20, null, CancellationToken.None);

        Assert.Equal(BodyReadStatus.TooLarge, result.Status);
        Assert.InRange(stream.BytesRead, (1 << 20) + 1, (1 << 20) + (16 * 1024));
    }

    [Fact]
    public async Task A_body_of_exactly_the_limit_is_read_whole()
    {
        var data = RandomNumberGenerator.GetBytes(1000);

        var result = await BoundedBodyReader.ReadAsync(new MemoryStream(data), null, 1000, null, CancellationToken.None);

        Assert.Equal(BodyReadStatus.Ok, result.Status);
        Assert.Equal(data, result.Bytes);
    }

    [Fact]
    public async Task A_signature_is_verified_while_streaming_and_a_missing_one_reads_nothing()
    {
        var body = Encoding.UTF8.GetBytes("{\"object\":\"whatsapp_business_account\",\"entry\":[]} ñandú");
        var header = WhatsAppSignature.Compute(body, "secret");

        var ok = await WhatsAppSignature.ReadVerifiedAsync(new MemoryStream(body), body.Length, header, "secret", 1 << 20, CancellationToken.None);
        var tampered = await WhatsAppSignature.ReadVerifiedAsync(new MemoryStream([.. body, (byte)' ']), null, header, "secret", 1 << 20, CancellationToken.None);
        var unsigned = new CountingStream(long.MaxValue);
        var missing = await WhatsAppSignature.ReadVerifiedAsync(unsigned, null, null, "secret", 1 << 20, CancellationToken.None);
        var malformed = await WhatsAppSignature.ReadVerifiedAsync(unsigned, null, "sha256=xyz", "secret", 1 << 20, CancellationToken.None);
        var huge = await WhatsAppSignature.ReadVerifiedAsync(new CountingStream(long.MaxValue), null, header, "secret", 1 << 20, CancellationToken.None);

        Assert.Equal(SignedBodyStatus.Verified, ok.Status);
        Assert.Equal(body, ok.Body);
        Assert.Equal(SignedBodyStatus.Mismatch, tampered.Status);
        Assert.Empty(tampered.Body);
        Assert.Equal(SignedBodyStatus.MissingSignature, missing.Status);
        Assert.Equal(SignedBodyStatus.MissingSignature, malformed.Status);
        Assert.Equal(0, unsigned.BytesRead);
        Assert.Equal(SignedBodyStatus.TooLarge, huge.Status);
    }

    /// <summary>A stream of <paramref name="length"/> 'x' bytes that counts what was read.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesRead);
            buffer.AsSpan(offset, n).Fill((byte)'x');
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
