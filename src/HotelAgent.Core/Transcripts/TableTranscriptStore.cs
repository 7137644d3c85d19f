using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Transcripts;

/// <summary>
/// Transcripts on Azure Tables (table <c>{prefix}Transcripts</c>), so staff read the same conversation on every instance.
/// Partition = conversation id (a transcript is one partition query); rows <c>line|{line key}</c> (an insert that answers
/// 409 is a turn recorded again: kept once) and <c>snapshot</c> (replaced only by a newer one, with the ETag it was read
/// with). Each write trims the conversation to its newest lines; expired rows are purged on first use and at most once an
/// hour after a write, and reads never return them, as in <see cref="SqliteTranscriptStore"/>.
/// </summary>
public sealed partial class TableTranscriptStore : ITranscriptStore
{
    public const string TableName = "Transcripts";
    private const string LinePrefix = "line|";
    private const string SnapshotRow = "snapshot";
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly AzureStorageAccount _account;
    private readonly TranscriptOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TableTranscriptStore> _logger;
    private long _lastPurgeTicks;
    private int _purgedOnStart;

    public TableTranscriptStore(AzureStorageAccount account, IOptions<TranscriptOptions> options, TimeProvider time, ILogger<TableTranscriptStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _account = account ?? throw new ArgumentNullException(nameof(account));
        _options = options.Value;
        _time = time;
        _logger = logger;
        _lastPurgeTicks = time.GetUtcNow().UtcTicks;
    }

    public async Task AppendAsync(string conversationId, TranscriptEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        ArgumentNullException.ThrowIfNull(entry);
        var table = await TableAsync(cancellationToken);
        var partition = TableKeys.Escape(conversationId);
        for (var i = 0; i < entry.Lines.Count; i++)
        {
            var line = entry.Lines[i];
            try
            {
                await table.AddEntityAsync(
                    new TableEntity(partition, LinePrefix + TableKeys.Escape(line.Key))
                    {
                        ["Key"] = line.Key,
                        ["AtUtc"] = line.At.ToUnixTimeMilliseconds(),
                        ["Ord"] = i,
                        ["Speaker"] = line.From.ToString(),
                        ["Text"] = line.Text,
                        ["Options"] = line.Options.Count == 0 ? null : JsonSerializer.Serialize(line.Options, Json),
                    },
                    cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // The same turn recorded again (activities are at-least-once): the first copy stays.
            }
        }

        if (entry.Snapshot is { } snapshot)
        {
            await ReplaceSnapshotAsync(table, partition, snapshot, cancellationToken);
        }

        await TrimAsync(table, partition, cancellationToken);

        var now = _time.GetUtcNow();
        var last = Interlocked.Read(ref _lastPurgeTicks);
        if (now.UtcTicks - last >= PurgeInterval.Ticks && Interlocked.CompareExchange(ref _lastPurgeTicks, now.UtcTicks, last) == last)
        {
            await PurgeExpiredAsync(cancellationToken);
        }
    }

    public async Task<ConversationTranscript?> GetAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        var table = await TableAsync(cancellationToken);
        var partition = TableKeys.Escape(conversationId);
        var cutoff = Cutoff();
        var lines = (await ReadLinesAsync(table, partition, cancellationToken)).Where(l => l.AtUtc >= cutoff).Select(l => l.Line).ToList();

        TranscriptSnapshot? snapshot = null;
        var found = await table.GetEntityIfExistsAsync<TableEntity>(partition, SnapshotRow, cancellationToken: cancellationToken);
        if (found.HasValue && found.Value!.GetInt64("UpdatedUtc") >= cutoff && found.Value.GetString("Snapshot") is { } json)
        {
            snapshot = JsonSerializer.Deserialize<TranscriptSnapshot>(json, Json);
        }

        return lines.Count == 0 && snapshot is null ? null : new ConversationTranscript(conversationId, snapshot, lines);
    }

    /// <summary>One partition query per listed conversation (the staff list asks for a page of them).</summary>
    public async Task<IReadOnlyDictionary<string, TranscriptLine>> GetLastLinesAsync(IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationIds);
        var result = new Dictionary<string, TranscriptLine>(StringComparer.Ordinal);
        if (conversationIds.Count == 0)
        {
            return result;
        }

        var table = await TableAsync(cancellationToken);
        var cutoff = Cutoff();
        foreach (var id in conversationIds.Distinct(StringComparer.Ordinal))
        {
            var lines = await ReadLinesAsync(table, TableKeys.Escape(id), cancellationToken);
            if (lines.LastOrDefault(l => l.AtUtc >= cutoff) is { Line: { } newest })
            {
                result[id] = newest;
            }
        }

        return result;
    }

    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        var table = await _account.GetTableAsync(TableName, cancellationToken);
        var cutoff = Cutoff();
        var deleted = await TableStoreMaintenance.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"AtUtc lt {cutoff}"), cancellationToken);
        await TableStoreMaintenance.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"UpdatedUtc lt {cutoff}"), cancellationToken);
        if (deleted > 0)
        {
            LogPurged(_logger, deleted, _options.RetentionDays);
        }

        return deleted;
    }

    private async Task<TableClient> TableAsync(CancellationToken cancellationToken)
    {
        var table = await _account.GetTableAsync(TableName, cancellationToken);
        if (Interlocked.Exchange(ref _purgedOnStart, 1) == 0)
        {
            await PurgeExpiredAsync(cancellationToken);
        }

        return table;
    }

    /// <summary>The snapshot is replaced only by a newer one; two instances writing at once settle on the newest (ETag).</summary>
    private static async Task ReplaceSnapshotAsync(TableClient table, string partition, TranscriptSnapshot snapshot, CancellationToken cancellationToken)
    {
        var updated = snapshot.UpdatedAt.ToUnixTimeMilliseconds();
        var entity = new TableEntity(partition, SnapshotRow) { ["UpdatedUtc"] = updated, ["Snapshot"] = JsonSerializer.Serialize(snapshot, Json) };
        for (var attempt = 0; attempt < TableKeys.MaxOptimisticAttempts; attempt++)
        {
            var found = await table.GetEntityIfExistsAsync<TableEntity>(partition, SnapshotRow, ["UpdatedUtc"], cancellationToken);
            try
            {
                if (!found.HasValue)
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                    return;
                }

                if (found.Value!.GetInt64("UpdatedUtc") > updated)
                {
                    return;
                }

                await table.UpdateEntityAsync(entity, found.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (TableKeys.IsConflict(ex))
            {
                // Another instance wrote the snapshot meanwhile: read again and compare.
            }
        }

        throw TableKeys.TooMuchContention("the transcript snapshot");
    }

    /// <summary>Deletes all but the newest <see cref="TranscriptOptions.MaxLinesPerConversation"/> lines.</summary>
    private async Task TrimAsync(TableClient table, string partition, CancellationToken cancellationToken)
    {
        var lines = await ReadLinesAsync(table, partition, cancellationToken);
        foreach (var (rowKey, _, _) in lines.Take(Math.Max(0, lines.Count - _options.MaxLinesPerConversation)))
        {
            try
            {
                await table.DeleteEntityAsync(partition, rowKey, ETag.All, cancellationToken);
            }
            catch (RequestFailedException ex) when (TableKeys.IsNotFound(ex))
            {
                // Trimmed by another instance.
            }
        }
    }

    /// <summary>Every stored line of the conversation, oldest first (time, then order within its turn).</summary>
    private static async Task<List<(string RowKey, long AtUtc, TranscriptLine Line)>> ReadLinesAsync(TableClient table, string partition, CancellationToken cancellationToken)
    {
        var lines = new List<(string RowKey, long AtUtc, int Ord, TranscriptLine Line)>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableKeys.RowKeyPrefixFilter(partition, LinePrefix), cancellationToken: cancellationToken))
        {
            var at = e.GetInt64("AtUtc") ?? 0;
            var line = new TranscriptLine(
                e.GetString("Key") ?? string.Empty,
                DateTimeOffset.FromUnixTimeMilliseconds(at),
                Enum.Parse<TranscriptSpeaker>(e.GetString("Speaker") ?? nameof(TranscriptSpeaker.Bot)),
                e.GetString("Text") ?? string.Empty)
            {
                Options = e.GetString("Options") is { } options ? JsonSerializer.Deserialize<string[]>(options, Json) ?? [] : [],
            };
            lines.Add((e.RowKey, at, e.GetInt32("Ord") ?? 0, line));
        }

        return [.. lines.OrderBy(l => l.AtUtc).ThenBy(l => l.Ord).Select(l => (l.RowKey, l.AtUtc, l.Line))];
    }

    private long Cutoff() => (_time.GetUtcNow() - _options.Retention).ToUnixTimeMilliseconds();

    [LoggerMessage(EventId = 9202, Level = LogLevel.Information, Message = "Purged {Count} transcript lines older than {Days} days")]
    private static partial void LogPurged(ILogger logger, int count, double days);
}
