namespace HotelAgent.Core.Audio;

/// <summary>Why a voice note could not be used, each with its guest-facing answer.</summary>
public enum AudioRejection
{
    TooLong,
    Unreadable,
    NotUnderstood,
    Unavailable,
}

/// <summary>Guest-facing answers (Spanish, warm and brief; the guest's language is not known before transcription).</summary>
public static class AudioGuestTexts
{
    public static string For(AudioRejection rejection) => rejection switch
    {
        AudioRejection.TooLong => "Tu audio es muy largo, ¿me lo podés escribir o mandar uno más corto?",
        AudioRejection.Unreadable => "No pude escuchar tu audio, parece que llegó dañado. ¿Me lo podés escribir o mandar de nuevo?",
        AudioRejection.NotUnderstood => "No llegué a entender tu audio. ¿Me lo podés escribir?",
        AudioRejection.Unavailable => "Por ahora no puedo escuchar audios. ¿Me lo podés escribir, por favor?",
        _ => throw new ArgumentOutOfRangeException(nameof(rejection)),
    };
}
