namespace Engram.Inference.Engine;

/// <summary>What the platform probe learnt that a backend needs: the SoC family and its big cores.</summary>
public interface IPlatformFacts
{
    /// <summary><c>rk3588</c> (also for RK3588S and RK3582), another <c>rockchip,</c> SoC name, or null off Rockchip.</summary>
    string? SocFamily { get; }

    /// <summary>The performance cores (cpu4-7 on an RK3588), empty when the machine does not tell them apart.</summary>
    IReadOnlyList<int> BigCores { get; }
}
