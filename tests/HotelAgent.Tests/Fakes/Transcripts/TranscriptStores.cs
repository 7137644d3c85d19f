using HotelAgent.Core.Configuration;
using HotelAgent.Core.Dialog;
using HotelAgent.Core.Transcripts;
using HotelAgent.Tests.Fakes.Pms;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Fakes.Transcripts;

/// <summary>A real SQLite transcript store in its own temporary folder, on the given clock.</summary>
public sealed class TranscriptStoreFile : IDisposable
{
    private readonly TempDirectory _dir = new();

    public TranscriptStoreFile(TimeProvider time, TranscriptOptions? options = null)
    {
        Options = options ?? new TranscriptOptions();
        Store = new SqliteTranscriptStore(
            Microsoft.Extensions.Options.Options.Create(new HotelAgentOptions { DataDirectory = _dir.Path }),
            Microsoft.Extensions.Options.Options.Create(Options),
            time,
            NullLogger<SqliteTranscriptStore>.Instance);
    }

    public TranscriptOptions Options { get; }

    public SqliteTranscriptStore Store { get; }

    /// <summary>A snapshot as the orchestrator writes it (stage, slots and handoff from a dialog state).</summary>
    public static TranscriptSnapshot Snapshot(DateTimeOffset at, DialogState? state = null, string guest = "***0101") =>
        new("WhatsApp", guest, DialogStatusView.FromState(state ?? DialogState.New), at);

    public void Dispose()
    {
        Store.Dispose();
        _dir.Dispose();
    }
}
