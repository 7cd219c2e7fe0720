using Engram.TestSupport;

namespace Engram.InferenceDaemon.Tests.Hosting;

/// <summary>The unit file is a contract with systemd: these directives are what the daemon's behaviour relies on.</summary>
public sealed class SystemdUnitTests
{
    private static readonly string[] Unit = File.ReadAllLines(Path.Combine(RepositoryLayout.Root, "deploy", "systemd", "engram-daemon.service"));

    [Theory]
    [InlineData("Type=notify")]                    // READY=1 after the default model loads
    [InlineData("WatchdogSec=30")]                 // pinged by the engine loop
    [InlineData("Restart=on-failure")]
    [InlineData("TimeoutStopSec=7")]               // shutdown_grace_seconds (5) + 2: the daemon is out by then
    [InlineData("RestartPreventExitStatus=64 78")] // usage and configuration errors are not crashes
    [InlineData("User=engram")]
    [InlineData("NoNewPrivileges=yes")]
    [InlineData("ProtectSystem=strict")]
    [InlineData("StateDirectory=engram")]
    [InlineData("CacheDirectory=engram")]
    [InlineData("DevicePolicy=closed")]
    [InlineData("ExecStopPost=/opt/engram/daemon/engram-daemon record-exit --state-dir /var/lib/engram")]
    public void DaemonUnit_HasDirective(string directive)
    {
        Assert.Contains(directive, Unit);
    }
}
