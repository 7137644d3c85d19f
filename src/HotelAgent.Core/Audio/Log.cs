using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Audio;

internal static partial class Log
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Warning, Message = "Audio: {Status}")]
    public static partial void AudioDegraded(ILogger logger, string status);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Audio engines: transcription {Transcription}, synthesis {Synthesis}")]
    public static partial void AudioEngines(ILogger logger, string transcription, string synthesis);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Information, Message = "Voice note {MessageId} from {Guest} rejected: {Rejection}")]
    public static partial void VoiceNoteRejected(ILogger logger, string messageId, string guest, AudioRejection rejection);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Information, Message = "Voice note {MessageId} from {Guest} transcribed ({Bytes} bytes, {Seconds:0.0} s, {Characters} chars) by {Engine}")]
    public static partial void Transcribed(ILogger logger, string messageId, string guest, int bytes, double seconds, int characters, string engine);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Warning, Message = "No channel sender for {Channel}: could not tell {Guest} that the voice note was rejected")]
    public static partial void NoChannelSender(ILogger logger, HotelAgent.Core.Messaging.Channel channel, string guest);

    [LoggerMessage(EventId = 7020, Level = LogLevel.Information, Message = "Voice reply {Key} to {Guest} not spoken: {Reason}")]
    public static partial void SynthesisSkipped(ILogger logger, string key, string guest, string reason);

    [LoggerMessage(EventId = 7021, Level = LogLevel.Warning, Message = "Voice reply {Key} to {Guest}: synthesis failed with {Engine}; the text reply stands alone")]
    public static partial void SynthesisFailed(ILogger logger, string key, string guest, string engine, Exception exception);

    [LoggerMessage(EventId = 7022, Level = LogLevel.Warning, Message = "Voice reply {Key} to {Guest}: {Engine} produced unusable audio ({Problem}); the text reply stands alone")]
    public static partial void SynthesisInvalid(ILogger logger, string key, string guest, string engine, string problem);

    [LoggerMessage(EventId = 7023, Level = LogLevel.Information, Message = "Voice reply {Key} sent to {Guest} ({Bytes} bytes, {Seconds:0.0} s, cache {CacheHit})")]
    public static partial void VoiceNoteSent(ILogger logger, string key, string guest, int bytes, double seconds, bool cacheHit);

    [LoggerMessage(EventId = 7030, Level = LogLevel.Warning, Message = "eSpeak NG voice {Voice} failed (exit {ExitCode}); retrying with {Fallback}")]
    public static partial void EspeakVoiceFallback(ILogger logger, string voice, string fallback, int exitCode);

    [LoggerMessage(EventId = 7031, Level = LogLevel.Warning, Message = "Could not delete temp folder {Folder}")]
    public static partial void TempCleanupFailed(ILogger logger, string folder, Exception exception);

    [LoggerMessage(EventId = 7032, Level = LogLevel.Warning, Message = "Synthesized-audio disk cache I/O failed")]
    public static partial void CacheIoFailed(ILogger logger, Exception exception);
}
