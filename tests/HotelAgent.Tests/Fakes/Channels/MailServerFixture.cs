using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Imap;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace HotelAgent.Tests.Fakes.Channels;

/// <summary>The xunit collection of tests that share the one mail server pair of the test run.</summary>
[CollectionDefinition(Name)]
public sealed class MailServersCollection : ICollectionFixture<MailServerFixture>
{
    public const string Name = "Mail servers (Dovecot IMAP + SMTP)";
}

/// <summary>A mailbox on the test mail servers (login = address).</summary>
public sealed record TestMailbox(string Address, string Password);

/// <summary>A message as read back over IMAP.</summary>
public sealed record StoredMail(UniqueId Uid, MessageFlags Flags, IReadOnlySet<string> Keywords, MimeMessage Message)
{
    public bool Seen => Flags.HasFlag(MessageFlags.Seen);
}

/// <summary>
/// Real mail servers for the test run, started once: Dovecot IMAP (the Debian package, with a self-contained config
/// written here: passwd-file users, Maildir, XOAUTH2 tokens checked against the fake Google tokeninfo endpoint) and an
/// SMTP submission server (the SmtpServer package, in process, AUTH required) that delivers into the recipients' Dovecot
/// inboxes. Both also speak TLS with a self-signed certificate made here: IMAP with STARTTLS on <see cref="ImapPort"/> and
/// TLS from the start on <see cref="ImapsPort"/> (993's role), SMTP with TLS from the start on <see cref="SmtpsPort"/>
/// (465's role) and STARTTLS on <see cref="SubmissionPort"/> (587's role). Tests create their own mailboxes, so they never
/// see each other's mail.
/// </summary>
public sealed class MailServerFixture : IAsyncLifetime
{
    public const string HotelDomain = "hotel.test";
    public const string GuestDomain = "guest.test";

    /// <summary>Mailboxes per domain, enough for every test of a run.</summary>
    public const int PoolSize = 300;

    private readonly ConcurrentDictionary<string, TestMailbox> _mailboxes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<SmtpDelivery> _deliveries = new();
    private readonly ConcurrentQueue<SmtpResponse> _rejections = new();
    private readonly ConcurrentQueue<TestMailbox> _hotelPool = new();
    private readonly ConcurrentQueue<TestMailbox> _guestPool = new();
    private readonly CancellationTokenSource _stop = new();
    private Process? _dovecot;
    private SmtpServer.SmtpServer? _smtp;
    private Task? _smtpRun;
    private X509Certificate2? _certificate;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "ha-mail-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>IMAP, clear text or STARTTLS.</summary>
    public int ImapPort { get; private set; }

    /// <summary>IMAP with TLS from the start (the role of 993).</summary>
    public int ImapsPort { get; private set; }

    /// <summary>SMTP submission, clear text (AUTH allowed on loopback).</summary>
    public int SmtpPort { get; private set; }

    /// <summary>SMTP submission with TLS from the start (the role of 465).</summary>
    public int SmtpsPort { get; private set; }

    /// <summary>SMTP submission with STARTTLS, AUTH only after it (the role of 587).</summary>
    public int SubmissionPort { get; private set; }

    /// <summary>The servers' self-signed certificate (PEM), for <c>Email__CaCertificatePath</c>: trusted by nothing else.</summary>
    public string CertificatePath => Path.Combine(Directory, "tls", "cert.pem");

    public FakeGoogleOAuth Google { get; private set; } = null!;

    /// <summary>Every message the SMTP server accepted, in order.</summary>
    public IReadOnlyList<SmtpDelivery> Deliveries => [.. _deliveries];

    private string UsersFile => Path.Combine(Directory, "users");

    public async Task InitializeAsync()
    {
        const string dovecotPath = "/usr/sbin/dovecot";
        if (!File.Exists(dovecotPath))
        {
            throw new InvalidOperationException("Dovecot is not installed: run scripts/test.sh (it installs the Debian package dovecot-imapd).");
        }

        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "mail"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "run"));
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(Path.Combine(Directory, "mail"), (UnixFileMode)0x1FF); // Dovecot's mail processes run as nobody
        }
        var users = new System.Text.StringBuilder();
        foreach (var (domain, prefix, pool) in new[] { (HotelDomain, "reservas", _hotelPool), (GuestDomain, "huesped", _guestPool) })
        {
            for (var i = 0; i < PoolSize; i++)
            {
                var mailbox = new TestMailbox($"{prefix}-{i:D3}@{domain}", "pw-" + Guid.NewGuid().ToString("N")[..12]);
                users.Append(mailbox.Address).Append(":{PLAIN}").Append(mailbox.Password).Append('\n');
                _mailboxes[mailbox.Address] = mailbox;
                pool.Enqueue(mailbox);
            }
        }

        await File.WriteAllTextAsync(UsersFile, users.ToString());
        var certificate = _certificate = await CreateCertificateAsync();
        Google = await FakeGoogleOAuth.StartAsync();
        ImapPort = FreePort();
        ImapsPort = FreePort();
        await File.WriteAllTextAsync(Path.Combine(Directory, "oauth2.conf.ext"), $"""
            tokeninfo_url = {Google.BaseUrl}/tokeninfo?access_token=
            introspection_mode = auth
            username_attribute = email
            """);
        await File.WriteAllTextAsync(Path.Combine(Directory, "dovecot.conf"), DovecotConfig());
        _dovecot = Process.Start(new ProcessStartInfo(dovecotPath)
        {
            ArgumentList = { "-F", "-c", Path.Combine(Directory, "dovecot.conf") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("dovecot did not start");
        _dovecot.OutputDataReceived += (_, _) => { };
        _dovecot.ErrorDataReceived += (_, _) => { };
        _dovecot.BeginOutputReadLine();
        _dovecot.BeginErrorReadLine();
        await WaitForGreetingAsync(ImapPort, "* OK");

        SmtpPort = FreePort();
        SmtpsPort = FreePort();
        SubmissionPort = FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.hotel.test")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, SmtpPort)).AuthenticationRequired(true).AllowUnsecureAuthentication(true))
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, SmtpsPort)).IsSecure(true).Certificate(certificate).AuthenticationRequired(true))
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, SubmissionPort)).Certificate(certificate).AuthenticationRequired(true).AllowUnsecureAuthentication(false))
            .MaxMessageSize(40 * 1024 * 1024)
            .Build();
        var provider = new ServiceProvider();
        provider.Add(new Authenticator(this));
        provider.Add(new RecipientFilter(this));
        provider.Add(new DeliveringStore(this));
        _smtp = new SmtpServer.SmtpServer(options, provider);
        _smtpRun = _smtp.StartAsync(_stop.Token);
        await WaitForGreetingAsync(SmtpPort, "220");
        await WaitForGreetingAsync(SubmissionPort, "220");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _smtp?.Shutdown();
        if (_smtpRun is not null)
        {
            await Task.WhenAny(_smtpRun, Task.Delay(5000));
        }

        if (_dovecot is { HasExited: false })
        {
            _dovecot.Kill(entireProcessTree: true);
            await _dovecot.WaitForExitAsync();
        }

        _dovecot?.Dispose();
        _certificate?.Dispose();
        await Google.DisposeAsync();
        _stop.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// A mailbox no other test uses (e.g. <c>reservas-017@hotel.test</c>, <c>huesped-004@guest.test</c>). They are
    /// written to the passwd-file at start: Dovecot re-reads the file at most once a second, so a user added while
    /// tests log in would be unknown for up to a second (and the failed login would slow the next ones down).
    /// </summary>
    public TestMailbox CreateMailbox(string domain = HotelDomain)
    {
        var pool = domain == HotelDomain ? _hotelPool : domain == GuestDomain ? _guestPool : throw new ArgumentException("unknown test domain", nameof(domain));
        return pool.TryDequeue(out var mailbox) ? mailbox : throw new InvalidOperationException($"The {domain} mailbox pool is used up: raise {nameof(PoolSize)}.");
    }

    /// <summary>Settings (<c>Section:Key</c>) of an email channel on <paramref name="hotel"/> with its password.</summary>
    public Dictionary<string, string?> EmailSettings(TestMailbox hotel) => new()
    {
        ["Email:Enabled"] = "true",
        ["Email:Address"] = hotel.Address,
        ["Email:SenderName"] = "Hotel Palermo Soho",
        ["Email:Password"] = hotel.Password,
        ["Email:Imap:Host"] = "127.0.0.1",
        ["Email:Imap:Port"] = ImapPort.ToString(CultureInfo.InvariantCulture),
        ["Email:Imap:Security"] = "None",
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = SmtpPort.ToString(CultureInfo.InvariantCulture),
        ["Email:Smtp:Security"] = "None",
        ["Email:PollSchedule"] = "0 0 0 1 1 *", // tests poll on demand
    };

    /// <summary>Puts a raw RFC 5322 message into a mailbox's INBOX (or <paramref name="folder"/>) as an MTA would: unseen.</summary>
    public async Task<UniqueId> DeliverAsync(TestMailbox to, byte[] raw, DateTimeOffset? receivedAt = null, string folder = "INBOX")
    {
        using var client = await OpenAsync(to);
        var target = folder == "INBOX" ? client.Inbox : await GetOrCreateFolderAsync(client, folder);
        using var stream = new MemoryStream(raw);
        var message = await MimeMessage.LoadAsync(stream);
        var request = new AppendRequest(message, MessageFlags.None) { InternalDate = receivedAt };
        var uid = await target.AppendAsync(request);
        await client.DisconnectAsync(true);
        return uid ?? throw new InvalidOperationException("Dovecot returned no APPENDUID");
    }

    public Task<UniqueId> DeliverAsync(TestMailbox to, string raw, DateTimeOffset? receivedAt = null, string folder = "INBOX") =>
        DeliverAsync(to, System.Text.Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n")), receivedAt, folder);

    /// <summary>Every message of a folder, with flags, read over IMAP without changing them.</summary>
    public async Task<IReadOnlyList<StoredMail>> ReadAsync(TestMailbox mailbox, string folder = "INBOX")
    {
        using var client = await OpenAsync(mailbox);
        var target = folder == "INBOX" ? client.Inbox : await client.GetFolderAsync(folder);
        await target.OpenAsync(FolderAccess.ReadOnly);
        var result = new List<StoredMail>();
        if (target.Count > 0)
        {
            foreach (var summary in await target.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags))
            {
                var message = await target.GetMessageAsync(summary.UniqueId);
                result.Add(new StoredMail(summary.UniqueId, summary.Flags ?? MessageFlags.None, new HashSet<string>(summary.Keywords, StringComparer.OrdinalIgnoreCase), message));
            }
        }

        await client.DisconnectAsync(true);
        return result;
    }

    /// <summary>Waits until <paramref name="mailbox"/>'s INBOX holds at least <paramref name="count"/> messages.</summary>
    public async Task<IReadOnlyList<StoredMail>> WaitForMailAsync(TestMailbox mailbox, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var mail = await ReadAsync(mailbox);
            if (mail.Count >= count || DateTime.UtcNow > deadline)
            {
                return mail;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The next <paramref name="times"/> SMTP transactions are refused with <paramref name="response"/>.</summary>
    public void RejectNextDeliveries(SmtpResponse response, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            _rejections.Enqueue(response);
        }
    }

    /// <summary>An authenticated IMAP client of <paramref name="mailbox"/> (dispose it).</summary>
    public async Task<ImapClient> OpenAsync(TestMailbox mailbox)
    {
        var client = new ImapClient { Timeout = 30_000 };
        await client.ConnectAsync("127.0.0.1", ImapPort, MailKit.Security.SecureSocketOptions.None);
        await client.AuthenticateAsync(mailbox.Address, mailbox.Password);
        return client;
    }

    /// <summary>
    /// A self-signed ECDSA certificate for 127.0.0.1 and localhost, written as PEM for Dovecot (an EC key needs no DH
    /// parameters) and returned with its key for the SMTP server.
    /// </summary>
    private async Task<X509Certificate2> CreateCertificateAsync()
    {
        var folder = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "tls")).FullName;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=HotelAgent test mail servers", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // server authentication
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        await File.WriteAllTextAsync(CertificatePath, created.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(folder, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        return X509Certificate2.CreateFromPem(created.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private static async Task<IMailFolder> GetOrCreateFolderAsync(ImapClient client, string name)
    {
        try
        {
            return await client.GetFolderAsync(name);
        }
        catch (FolderNotFoundException)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            return await root.CreateAsync(name, isMessageFolder: true) ?? throw new InvalidOperationException("folder not created");
        }
    }

    private string DovecotConfig()
    {
        var d = Directory;
        return $$"""
            base_dir = {{d}}/run
            state_dir = {{d}}/run/state
            instance_name = ha-{{Path.GetFileName(d)}}
            protocols = imap
            listen = 127.0.0.1
            ssl = yes
            ssl_cert = <{{d}}/tls/cert.pem
            ssl_key = <{{d}}/tls/key.pem
            ssl_min_protocol = TLSv1.2
            disable_plaintext_auth = no
            auth_mechanisms = plain login xoauth2 oauthbearer
            auth_failure_delay = 0
            mail_location = maildir:~/Maildir
            log_path = {{d}}/dovecot.log
            default_login_user = nobody
            default_internal_user = nobody
            default_internal_group = nogroup
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{d}}/users
            }
            passdb {
              driver = oauth2
              mechanisms = xoauth2 oauthbearer
              args = {{d}}/oauth2.conf.ext
            }
            userdb {
              driver = static
              args = uid=65534 gid=65534 home={{d}}/mail/%d/%n
            }
            namespace inbox {
              inbox = yes
              separator = /
              mailbox Sent {
                special_use = \Sent
                auto = subscribe
              }
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{ImapPort}}
              }
              inet_listener imaps {
                address = 127.0.0.1
                port = {{ImapsPort}}
                ssl = yes
              }
            }
            service auth {
              unix_listener auth-userdb {
                mode = 0666
              }
            }
            # No growing login delay from 127.0.0.1 after the tests' deliberate auth failures.
            service anvil {
              unix_listener anvil-auth-penalty {
                mode = 0
              }
            }
            """;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForGreetingAsync(int port, string greeting)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                using var reader = new StreamReader(tcp.GetStream());
                var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5));
                if (line?.StartsWith(greeting, StringComparison.Ordinal) == true)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No '{greeting}' greeting on port {port}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>One message accepted by the SMTP server.</summary>
    /// <param name="Secure">Whether the SMTP session was encrypted (TLS from the start or after STARTTLS).</param>
    public sealed record SmtpDelivery(string AuthenticatedUser, string MailFrom, IReadOnlyList<string> Recipients, byte[] Raw, bool Secure = false);

    private sealed class Authenticator(MailServerFixture fixture) : IUserAuthenticator
    {
        public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
        {
            var ok = fixture._mailboxes.TryGetValue(user, out var mailbox) && mailbox.Password == password;
            if (ok)
            {
                context.Properties["user"] = user;
            }

            return Task.FromResult(ok);
        }
    }

    /// <summary>Like a real server: mail only to mailboxes that exist here (550 at RCPT otherwise).</summary>
    private sealed class RecipientFilter(MailServerFixture fixture) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, SmtpServer.Mail.IMailbox from, int size, CancellationToken cancellationToken) =>
            Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, SmtpServer.Mail.IMailbox to, SmtpServer.Mail.IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(fixture._mailboxes.ContainsKey($"{to.User}@{to.Host}"));
    }

    /// <summary>Delivers into each recipient's Dovecot INBOX (IMAP APPEND as the recipient, unseen).</summary>
    private sealed class DeliveringStore(MailServerFixture fixture) : IMessageStore
    {
        public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (fixture._rejections.TryDequeue(out var rejection))
            {
                return rejection;
            }

            var raw = buffer.ToArray();
            var recipients = transaction.To.Select(m => $"{m.User}@{m.Host}").ToList();
            foreach (var recipient in recipients)
            {
                await fixture.DeliverAsync(fixture._mailboxes[recipient], raw);
            }

            fixture._deliveries.Enqueue(new SmtpDelivery(
                context.Properties.TryGetValue("user", out var user) ? (string)user : string.Empty,
                $"{transaction.From.User}@{transaction.From.Host}",
                recipients,
                raw,
                context.Pipe.IsSecure));
            return SmtpResponse.Ok;
        }
    }
}
