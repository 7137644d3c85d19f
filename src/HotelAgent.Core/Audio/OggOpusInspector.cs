using System.Buffers.Binary;

namespace HotelAgent.Core.Audio;

/// <summary>The verdict on an Ogg/Opus file.</summary>
/// <param name="IsValid">True when the bytes are a well-formed Ogg/Opus stream.</param>
/// <param name="Error">Why not, when invalid.</param>
/// <param name="Duration">Playback length: (last granule position − pre-skip) / 48 kHz.</param>
/// <param name="Channels">Channel count from OpusHead.</param>
/// <param name="PreSkip">Samples (48 kHz) to drop at the start.</param>
/// <param name="InputSampleRate">Original sample rate noted by the encoder (informational).</param>
/// <param name="PageCount">Ogg pages of the Opus stream.</param>
public sealed record OggOpusInfo(bool IsValid, string? Error, TimeSpan Duration, int Channels, int PreSkip, uint InputSampleRate, int PageCount)
{
    internal static OggOpusInfo Invalid(string error) => new(false, error, TimeSpan.Zero, 0, 0, 0, 0);
}

/// <summary>
/// Validates Ogg/Opus (RFC 3533 pages, RFC 7845 OpusHead/OpusTags) without decoding audio: the format
/// WhatsApp needs for voice notes, and a cheap corruption and duration check for received ones.
/// </summary>
public static class OggOpusInspector
{
    private const int HeaderSize = 27;
    private const int OpusSampleRate = 48000;
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>True when the bytes start with an Ogg page.</summary>
    public static bool LooksLikeOgg(ReadOnlySpan<byte> data) => data.Length >= 4 && data[..4].SequenceEqual("OggS"u8);

    /// <summary>Inspects the first logical stream; <paramref name="verifyCrc"/> checks every page checksum.</summary>
    public static OggOpusInfo Inspect(ReadOnlySpan<byte> data, bool verifyCrc = true)
    {
        if (data.IsEmpty)
        {
            return OggOpusInfo.Invalid("The file is empty.");
        }

        if (!LooksLikeOgg(data))
        {
            return OggOpusInfo.Invalid("Not an Ogg file (no 'OggS' capture pattern).");
        }

        var position = 0;
        uint? serial = null;
        var pages = 0;
        long lastGranule = -1;
        var packetIndex = 0;
        var packet = new List<byte>();
        var channels = 0;
        var preSkip = 0;
        uint inputRate = 0;
        var sawTags = false;

        while (position < data.Length)
        {
            var rest = data[position..];
            if (rest.Length < HeaderSize)
            {
                return OggOpusInfo.Invalid($"Truncated page header at byte {position}.");
            }

            if (!rest[..4].SequenceEqual("OggS"u8))
            {
                return OggOpusInfo.Invalid($"Missing 'OggS' capture pattern at byte {position}.");
            }

            if (rest[4] != 0)
            {
                return OggOpusInfo.Invalid($"Unsupported Ogg version {rest[4]} at byte {position}.");
            }

            var headerType = rest[5];
            var granule = BinaryPrimitives.ReadInt64LittleEndian(rest[6..]);
            var pageSerial = BinaryPrimitives.ReadUInt32LittleEndian(rest[14..]);
            var storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(rest[22..]);
            var segments = rest[26];
            if (rest.Length < HeaderSize + segments)
            {
                return OggOpusInfo.Invalid($"Truncated segment table at byte {position}.");
            }

            var lacing = rest.Slice(HeaderSize, segments);
            var bodyLength = 0;
            foreach (var l in lacing)
            {
                bodyLength += l;
            }

            var pageLength = HeaderSize + segments + bodyLength;
            if (rest.Length < pageLength)
            {
                return OggOpusInfo.Invalid($"Truncated page body at byte {position}.");
            }

            if (verifyCrc && Crc(rest[..pageLength]) != storedCrc)
            {
                return OggOpusInfo.Invalid($"Page checksum mismatch at byte {position}.");
            }

            serial ??= pageSerial;
            if (pageSerial == serial)
            {
                if (pages == 0 && (headerType & 0x02) == 0)
                {
                    return OggOpusInfo.Invalid("The first page is not marked as beginning of stream.");
                }

                pages++;
                if (granule != -1)
                {
                    lastGranule = granule;
                }

                // Reassemble only the two header packets; audio packets are not needed.
                var body = rest.Slice(HeaderSize + segments, bodyLength);
                var offset = 0;
                foreach (var l in lacing)
                {
                    if (packetIndex < 2)
                    {
                        packet.AddRange(body.Slice(offset, l));
                        if (l < 255)
                        {
                            var error = packetIndex == 0
                                ? ReadOpusHead(packet, out channels, out preSkip, out inputRate)
                                : CheckOpusTags(packet, out sawTags);
                            if (error is not null)
                            {
                                return OggOpusInfo.Invalid(error);
                            }

                            packetIndex++;
                            packet.Clear();
                        }
                    }

                    offset += l;
                }
            }

            position += pageLength;
        }

        if (packetIndex == 0)
        {
            return OggOpusInfo.Invalid("No OpusHead packet.");
        }

        if (!sawTags)
        {
            return OggOpusInfo.Invalid("No OpusTags packet.");
        }

        if (lastGranule < preSkip)
        {
            return OggOpusInfo.Invalid("The stream holds no audio (granule position before pre-skip).");
        }

        var duration = TimeSpan.FromSeconds((lastGranule - preSkip) / (double)OpusSampleRate);
        return new OggOpusInfo(true, null, duration, channels, preSkip, inputRate, pages);
    }

    private static string? ReadOpusHead(List<byte> packet, out int channels, out int preSkip, out uint inputRate)
    {
        channels = 0;
        preSkip = 0;
        inputRate = 0;
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(packet);
        if (span.Length < 19 || !span[..8].SequenceEqual("OpusHead"u8))
        {
            return "The first packet is not an OpusHead header (not an Opus stream).";
        }

        if ((span[8] & 0xF0) != 0)
        {
            return $"Unsupported OpusHead version {span[8]}.";
        }

        channels = span[9];
        preSkip = BinaryPrimitives.ReadUInt16LittleEndian(span[10..]);
        inputRate = BinaryPrimitives.ReadUInt32LittleEndian(span[12..]);
        return channels == 0 ? "OpusHead declares zero channels." : null;
    }

    private static string? CheckOpusTags(List<byte> packet, out bool sawTags)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(packet);
        sawTags = span.Length >= 8 && span[..8].SequenceEqual("OpusTags"u8);
        return sawTags ? null : "The second packet is not an OpusTags header.";
    }

    /// <summary>Ogg CRC-32 (polynomial 0x04C11DB7, no reflection, zero init) with the checksum field taken as zero.</summary>
    private static uint Crc(ReadOnlySpan<byte> page)
    {
        uint crc = 0;
        for (var i = 0; i < page.Length; i++)
        {
            var b = i is >= 22 and < 26 ? (byte)0 : page[i];
            crc = (crc << 8) ^ CrcTable[((crc >> 24) ^ b) & 0xFF];
        }

        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var r = i << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }

            table[i] = r;
        }

        return table;
    }
}
