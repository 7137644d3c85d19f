using HotelAgent.Core.Dialog;
using HotelAgent.Core.Nlu;

namespace HotelAgent.Functions.Hosting;

/// <summary>Trains the NLU model and builds the dialog at start, so the first guest does not pay for it.</summary>
public sealed class WarmUp(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<INluEngine>().Parse("hola", DateOnly.FromDateTime(DateTime.UnixEpoch));
        _ = services.GetRequiredService<ReceptionistDialog>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
