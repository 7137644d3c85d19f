using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace HotelAgent.Tests.Fakes.Channels;

/// <summary>
/// A loopback TCP proxy in front of a test mail server that puts a client exactly where a test wants it: it can stall
/// the next client command matching a pattern (the command is never forwarded, and the test learns the moment it was
/// sent), or hold new connections before they reach the server. Client lines are read as IMAP does (a line ending in a
/// <c>{n}</c> or <c>{n+}</c> literal is followed by n raw bytes, never taken for commands). No mail library offers a
/// man in the middle like this, hence the hand-written one.
/// </summary>
public sealed partial class StallingMailProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private readonly Lock _lock = new();
    private readonly Task _accepting;
    private Hold? _hold;
    private TaskCompletionSource _connectionsReleased = NewReleased();

    private StallingMailProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Starts a proxy on a free loopback port that forwards to 127.0.0.1:<paramref name="targetPort"/>.</summary>
    public static StallingMailProxy Start(int targetPort) => new(targetPort);

    /// <summary>
    /// The next client command line matching <paramref name="command"/> is not forwarded: its connection stalls there
    /// until the client goes away. The task completes with the line as soon as the client has sent it.
    /// </summary>
    public Task<string> StallNext(Regex command)
    {
        var hold = new Hold(command, new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        Interlocked.Exchange(ref _hold, hold)?.Sent.TrySetCanceled();
        return hold.Sent.Task;
    }

    /// <summary>New connections are accepted but not connected to the server until <see cref="ReleaseConnections"/>: clients wait for a greeting.</summary>
    public void HoldConnections()
    {
        lock (_lock)
        {
            if (_connectionsReleased.Task.IsCompleted)
            {
                _connectionsReleased = NewReleased();
            }
        }
    }

    public void ReleaseConnections()
    {
        lock (_lock)
        {
            _connectionsReleased.TrySetResult();
        }
    }

    /// <summary>An IMAP <c>UID STORE … +FLAGS (\Seen)</c> command (MailKit's "mark as read").</summary>
    [GeneratedRegex(@"^\S+ UID STORE \S+ \+FLAGS(\.SILENT)? \([^)]*\\Seen[^)]*\)\r?\n$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex ImapMarkSeen();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        ReleaseConnections();
        lock (_lock)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }

        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private static TaskCompletionSource NewReleased()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Task released;
            lock (_lock)
            {
                _connections.Add(client);
                released = _connectionsReleased.Task;
            }

            _ = Task.Run(() => ProxyAsync(client, released));
        }
    }

    private async Task ProxyAsync(TcpClient client, Task released)
    {
        using var server = new TcpClient();
        using var session = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        Task[] pumps = [];
        try
        {
            await released.WaitAsync(session.Token);
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, session.Token);
            pumps =
            [
                server.GetStream().CopyToAsync(client.GetStream(), session.Token),
                ForwardCommandsAsync(client.GetStream(), server.GetStream(), session.Token),
            ];
            await Task.WhenAny(pumps);
        }
        catch (Exception ex) when (IsSessionEnd(ex))
        {
        }
        finally
        {
            // Either side gone (a killed client, a closed server, the proxy's end): the whole session is over.
            await session.CancelAsync();
            client.Dispose();
            server.Dispose();
            foreach (var pump in pumps)
            {
                try
                {
                    await pump;
                }
                catch (Exception ex) when (IsSessionEnd(ex))
                {
                }
            }
        }
    }

    private static bool IsSessionEnd(Exception ex) => ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException;

    /// <summary>Copies client bytes to the server line by line (literals raw), stalling on the held command.</summary>
    private async Task ForwardCommandsAsync(Stream client, Stream server, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(client);
        long literal = 0;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            while (true)
            {
                if (literal > 0)
                {
                    var chunk = buffer.Slice(0, Math.Min(literal, buffer.Length));
                    if (chunk.Length == 0)
                    {
                        break;
                    }

                    await WriteAsync(server, chunk, cancellationToken);
                    literal -= chunk.Length;
                    buffer = buffer.Slice(chunk.End);
                    continue;
                }

                if (buffer.PositionOf((byte)'\n') is not { } newline)
                {
                    break;
                }

                var line = buffer.Slice(0, buffer.GetPosition(1, newline));
                var text = Encoding.Latin1.GetString(line);
                buffer = buffer.Slice(line.End);
                if (_hold is { } hold && hold.Command.IsMatch(text) && Interlocked.CompareExchange(ref _hold, null, hold) == hold)
                {
                    hold.Sent.TrySetResult(text.TrimEnd());
                    await Task.Delay(Timeout.Infinite, cancellationToken); // stalled: ends when the client or the proxy goes away
                }

                await WriteAsync(server, line, cancellationToken);
                literal = LiteralLength(text);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted)
            {
                await WriteAsync(server, buffer, cancellationToken);
                return;
            }
        }
    }

    private static long LiteralLength(string line)
    {
        var match = Literal().Match(line);
        return match.Success ? long.Parse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    private static async Task WriteAsync(Stream stream, ReadOnlySequence<byte> data, CancellationToken cancellationToken)
    {
        foreach (var segment in data)
        {
            await stream.WriteAsync(segment, cancellationToken);
        }

        await stream.FlushAsync(cancellationToken);
    }

    [GeneratedRegex(@"\{(\d+)\+?\}\r?\n$", RegexOptions.CultureInvariant)]
    private static partial Regex Literal();

    private sealed record Hold(Regex Command, TaskCompletionSource<string> Sent);
}
