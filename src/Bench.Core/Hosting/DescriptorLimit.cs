using System.Globalization;
using System.Runtime.InteropServices;

namespace Bench.Core.Hosting;

/// <summary>
/// The process's limit on open file descriptors (<c>RLIMIT_NOFILE</c>, getrlimit(2)/setrlimit(2)) on Linux and macOS:
/// every connection Bench holds (and, with an embedded simulator, every connection it serves) is one descriptor. The
/// .NET runtime raises the soft limit to the hard limit at start-up (seen here: a process started under
/// <c>ulimit -Sn 1024</c> with hard 20,000 reads 20,000/20,000 in <c>/proc/self/limits</c>), but Bench does not rely on
/// it: <see cref="Ensure"/> raises the soft limit itself, up to the hard limit, which an unprivileged process cannot
/// pass. Elsewhere (Windows) there is no such limit to read and every check passes.
/// </summary>
public static class DescriptorLimit
{
    /// <summary>Descriptors a process needs besides its connections (runtime, assemblies, log and result files, pipes,
    /// epoll, the odd retry connection): a generous 256.</summary>
    public const int Reserve = 256;

    /// <summary>The soft and hard limits now, or <see langword="null"/> where there is none to read (Windows, or the
    /// call failed). <see cref="long.MaxValue"/> stands for "unlimited".</summary>
    public static DescriptorLimits? Current()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
        {
            return null;
        }

        return NativeMethods.GetRLimit(Resource, out var limit) == 0 ? new DescriptorLimits(Clamp(limit.Current), Clamp(limit.Maximum)) : null;
    }

    /// <summary>
    /// Makes sure the process may hold <paramref name="needed"/> descriptors: raises the soft limit to
    /// <paramref name="needed"/> when it is lower (to the hard limit when even that is lower: as many as allowed), never
    /// lowers it. Returns what it found and did; <see cref="DescriptorCheck.Satisfied"/> says whether the need fits.
    /// </summary>
    /// <param name="needed">Descriptors the process will hold at once (connections plus <see cref="Reserve"/>), at
    /// least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="needed"/> is below 1.</exception>
    public static DescriptorCheck Ensure(long needed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(needed, 1);
        if (Current() is not { } before)
        {
            return new DescriptorCheck(needed, null, null, Satisfied: true);
        }

        if (before.Soft >= needed)
        {
            return new DescriptorCheck(needed, before.Soft, before.Hard, Satisfied: true);
        }

        var target = Math.Min(needed, before.Hard);
        if (target > before.Soft)
        {
            var limit = new RLimit { Current = (ulong)target, Maximum = before.Hard == long.MaxValue ? Unlimited : (ulong)before.Hard };
            _ = NativeMethods.SetRLimit(Resource, ref limit); // a refusal (e.g. macOS above OPEN_MAX) shows in the re-read
        }

        var after = Current() ?? before;
        return new DescriptorCheck(needed, after.Soft, after.Hard, Satisfied: after.Soft >= needed);
    }

    /// <summary>Raises the soft limit to the hard limit (as many connections as the system allows): for a server, whose
    /// clients decide how many connections it holds. Returns the limits after.</summary>
    public static DescriptorLimits? RaiseToHard()
    {
        if (Current() is not { } now)
        {
            return null;
        }

        var check = Ensure(Math.Min(now.Hard, SystemMaximum()));
        return new DescriptorLimits(check.Soft ?? now.Soft, check.Hard ?? now.Hard);
    }

    /// <summary>The most descriptors the kernel lets one process have whatever its hard limit says (Linux
    /// <c>/proc/sys/fs/nr_open</c>, 1,048,576 by default): an unlimited hard limit cannot be reached, this can.
    /// <see cref="long.MaxValue"/> when unknown.</summary>
    private static long SystemMaximum()
    {
        try
        {
            return OperatingSystem.IsLinux() && File.Exists("/proc/sys/fs/nr_open")
                && long.TryParse(File.ReadAllText("/proc/sys/fs/nr_open").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var max)
                ? max
                : long.MaxValue;
        }
        catch (IOException)
        {
            return long.MaxValue;
        }
    }

    /// <summary>The descriptors a load needs: <paramref name="connections"/> held at once, twice over when the server
    /// runs in the same process (each loopback connection is a descriptor at both ends), plus <see cref="Reserve"/>.</summary>
    /// <param name="connections">Requests in flight at once (one connection each), at least 0.</param>
    /// <param name="serverInProcess">Whether the simulator serving them runs in this process.</param>
    public static long Needed(long connections, bool serverInProcess) =>
        (Math.Max(0, connections) * (serverInProcess ? 2 : 1)) + Reserve;

    private static int Resource => OperatingSystem.IsMacOS() ? 8 : 7; // RLIMIT_NOFILE: <sys/resource.h>

    /// <summary>RLIM_INFINITY: ~0 on Linux, 2^63 − 1 on macOS; either reads as unlimited.</summary>
    private static ulong Unlimited => OperatingSystem.IsMacOS() ? long.MaxValue : ulong.MaxValue;

    private static long Clamp(ulong value) => value >= long.MaxValue ? long.MaxValue : (long)value;

    /// <summary><c>struct rlimit</c>: two <c>rlim_t</c> (64-bit on Linux x64/arm64 and macOS).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
        public static extern int GetRLimit(int resource, out RLimit limit);

        [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
        public static extern int SetRLimit(int resource, ref RLimit limit);
    }
}

/// <summary>The soft and hard <c>RLIMIT_NOFILE</c> of the process, descriptors; <see cref="long.MaxValue"/> is
/// unlimited.</summary>
/// <param name="Soft">The limit in force (a process may raise it up to <paramref name="Hard"/>).</param>
/// <param name="Hard">The ceiling an unprivileged process cannot pass.</param>
public readonly record struct DescriptorLimits(long Soft, long Hard);

/// <summary>What <see cref="DescriptorLimit.Ensure"/> found: the descriptors needed against the limits after raising
/// the soft one as far as allowed.</summary>
/// <param name="Needed">Descriptors needed at once.</param>
/// <param name="Soft">Soft limit after the raise; <see langword="null"/> where there is no limit (Windows).</param>
/// <param name="Hard">Hard limit; <see langword="null"/> where there is none.</param>
/// <param name="Satisfied">Whether <paramref name="Needed"/> fits under the soft limit now.</param>
public readonly record struct DescriptorCheck(long Needed, long? Soft, long? Hard, bool Satisfied)
{
    /// <summary>Why the need does not fit, in one sentence naming the figures and the way out; <see langword="null"/>
    /// when it fits.</summary>
    /// <param name="what">What needs them, e.g. <c>1,000 requests in flight</c>.</param>
    public string? Problem(string what) => Satisfied
        ? null
        : string.Create(CultureInfo.InvariantCulture,
            $"{what} need about {Needed:N0} open file descriptors (one per connection, plus {DescriptorLimit.Reserve} for the process), but this process may open only {Soft:N0} (RLIMIT_NOFILE soft {Soft:N0}, hard {Hard:N0}; Bench raised the soft limit as far as the hard one allows). Raise the hard limit (ulimit -Hn as root, /etc/security/limits.conf, systemd LimitNOFILE=) or lower the concurrency");
}
