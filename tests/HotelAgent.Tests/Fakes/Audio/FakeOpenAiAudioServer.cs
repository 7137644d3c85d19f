using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HotelAgent.Tests.Fakes.Audio;

/// <summary>What the fake received on <c>/v1/audio/transcriptions</c>.</summary>
public sealed record TranscriptionRequest(string? Authorization, IReadOnlyDictionary<string, string> Fields, string? FileName, byte[] File);

/// <summary>
/// Loopback fake of the OpenAI audio API (Kestrel on 127.0.0.1:0) answering the real payload shapes:
/// <c>POST /v1/audio/transcriptions</c> (multipart in, <c>{"text": ..., "usage": {...}}</c> out) and
/// <c>POST /v1/audio/speech</c> (JSON in, audio bytes out).
/// </summary>
public sealed class FakeOpenAiAudioServer : LoopbackFake
{
    private FakeOpenAiAudioServer()
    {
    }

    public ConcurrentQueue<TranscriptionRequest> Transcriptions { get; } = new();

    public ConcurrentQueue<JsonElement> SpeechRequests { get; } = new();

    public string TranscriptText { get; set; } = "Hola, ¿tienen habitación para dos personas este fin de semana?";

    /// <summary>When set, transcription answers this status with an OpenAI error body.</summary>
    public int? TranscriptionErrorStatus { get; set; }

    public byte[] SpeechAudio { get; set; } = [];

    /// <summary>Base URL to use as <c>OpenAI__Endpoint</c> (ends with <c>/v1</c>).</summary>
    public string BaseUrl => Root + "/v1";

    public static Task<FakeOpenAiAudioServer> StartAsync() => ListenAsync(new FakeOpenAiAudioServer());

    protected override void MapRoutes(WebApplication app)
    {
        app.MapPost("/v1/audio/transcriptions", TranscribeAsync);
        app.MapPost("/v1/audio/speech", SpeechAsync);
    }

    private async Task<IResult> TranscribeAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var fields = form.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal);
        var file = form.Files.GetFile("file");
        byte[] bytes = [];
        if (file is not null)
        {
            using var ms = new MemoryStream();
            await file.CopyToAsync(ms);
            bytes = ms.ToArray();
        }

        Transcriptions.Enqueue(new TranscriptionRequest(request.Headers.Authorization.ToString(), fields, file?.FileName, bytes));
        if (TranscriptionErrorStatus is { } status)
        {
            return Results.Json(
                new { error = new { message = "Audio file might be corrupted or unsupported", type = "invalid_request_error", param = "file", code = "invalid_value" } },
                statusCode: status);
        }

        if (fields.TryGetValue("response_format", out var format) && format == "text")
        {
            return Results.Text(TranscriptText + "\n", "text/plain");
        }

        return Results.Json(new
        {
            text = TranscriptText,
            usage = new { type = "tokens", input_tokens = 14, input_token_details = new { text_tokens = 0, audio_tokens = 14 }, output_tokens = 21, total_tokens = 35 },
        });
    }

    private async Task<IResult> SpeechAsync(HttpRequest request)
    {
        using var doc = await JsonDocument.ParseAsync(request.Body);
        SpeechRequests.Enqueue(doc.RootElement.Clone());
        return Results.Bytes(SpeechAudio, "audio/ogg");
    }
}
