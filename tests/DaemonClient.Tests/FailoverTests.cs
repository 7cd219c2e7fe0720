using System.Net;
using System.Net.Sockets;
using Engram.Contract.V1;
using Engram.DaemonClient.Balancing;
using Engram.TestSupport;
using Grpc.Core;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.DaemonClient.Tests;

/// <summary>Several daemons behind one client: the channel picks among connected boards by their health and per-address breakers.</summary>
public sealed class FailoverTests
{
    private static GenerateRequest Question()
    {
        var request = new GenerateRequest { Temperature = 0 };
        request.Messages.Add(new ChatMessage { Role = "user", Content = "What is 2+2?" });
        return request;
    }

    [Fact]
    public async Task ADaemonWhoseModelFailed_SaysNotServing_AndCallsGoToTheHealthyBoard()
    {
        await using var broken = await DaemonProcess.StartAsync(["--model", "/nonexistent/model.gguf"]);
        await using var healthy = await DaemonProcess.StartAsync([]);
        await healthy.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
        using var client = new EngramDaemonClient(new DaemonClientOptions { Addresses = [broken.Address, healthy.Address], MaxRetries = 0 });

        await TestTimeouts.Eventually(() => Task.FromResult(client.Endpoints[0].Serving == false && client.Endpoints[1].Serving == true),
            "both daemons' health seen by the client");
        var answers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add((await RecordAsync(client, Question()).WithTimeout()).Text);
        }

        // Plain pick_first would have sent every call to the first address, whose model failed:
        var refused = await Assert.ThrowsAsync<RpcException>(() => RecordAsync(broken.Client, Question()));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.All(answers, a => Assert.Equal("4", a));
    }

    [Fact]
    public async Task PickFirst_ANewClientsFirstCall_GoesToTheFirstBoard_WhicheverConnectsFirst()
    {
        using var boardRoot = FakePlatformRoot.Rk3588(); // tells the first board's answers from the second's
        await using var first = await DaemonProcess.StartAsync(["--root", boardRoot.Path]);
        await using var second = await DaemonProcess.StartAsync([]);

        var answeredBy = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            // Each client connects to both at its first call; the second board is as likely to be connected first.
            await using var client = new EngramDaemonClient(new DaemonClientOptions { Addresses = [first.Address, second.Address], MaxRetries = 0 });
            answeredBy.Add((await client.GetHealthAsync().WithTimeout()).Platform.Checks.Single(c => c.Name == "soc").Value);
        }

        Assert.All(answeredBy, soc => Assert.StartsWith("rockchip,rk3588", soc));
    }

    [Fact]
    public async Task ABoardThatAcceptsConnectionsButFailsEveryCall_IsCutOffByItsOwnBreaker_WhileTheOtherServes()
    {
        using var wedged = new WedgedEndpoint();
        await using var healthy = await DaemonProcess.StartAsync([]);
        await healthy.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
        using var client = new EngramDaemonClient(new DaemonClientOptions
        {
            Addresses = [wedged.Address, healthy.Address],
            LoadBalancing = "round_robin",
            BreakerMinimumThroughput = 2,
            BreakDuration = TimeSpan.FromMinutes(1),
            RetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetries = 10,
        });

        var answers = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            answers.Add((await RecordAsync(client, Question()).WithTimeout()).Text);
        }

        Assert.All(answers, a => Assert.Equal("4", a)); // no call was lost to the wedged board
        Assert.True(wedged.Connections > 0, "the wedged board was tried");
        var status = client.Endpoints;
        Assert.Equal(EndpointBreakerState.Open, status[0].Breaker);
        Assert.Equal(EndpointBreakerState.Closed, status[1].Breaker);
    }

    /// <summary>A port that accepts TCP connections and closes them at once: a board whose daemon is wedged.</summary>
    private sealed class WedgedEndpoint : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private int _connections;

        public WedgedEndpoint()
        {
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        using var socket = await _listener.AcceptSocketAsync(_stop.Token);
                        Interlocked.Increment(ref _connections);
                        socket.Close();
                    }
                    catch (Exception)
                    {
                        return;
                    }
                }
            });
        }

        public string Address => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public int Connections => Volatile.Read(ref _connections);

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}
