using System.Globalization;
using System.Net;

namespace TlsLab.Grading;

/// <summary>The operating system's list of listening TCP sockets (Linux: /proc/net/tcp and tcp6): who listens on a port, on which addresses.</summary>
public static class Listeners
{
    /// <summary>True where the list can be read.</summary>
    public static bool Supported => OperatingSystem.IsLinux() && File.Exists("/proc/net/tcp");

    /// <summary>The local addresses of every socket listening on <paramref name="port"/>.</summary>
    public static IReadOnlyList<IPAddress> On(int port)
    {
        var found = new List<IPAddress>();
        foreach (var (file, v6) in new[] { ("/proc/net/tcp", false), ("/proc/net/tcp6", true) })
        {
            if (!File.Exists(file))
            {
                continue;
            }

            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

                // "0A" is TCP_LISTEN.
                if (fields.Length < 4 || fields[3] != "0A")
                {
                    continue;
                }

                var local = fields[1].Split(':');
                if (int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    found.Add(Parse(local[0], v6));
                }
            }
        }

        return found;
    }

    /// <summary>True for 127.0.0.0/8, ::1 and IPv4-mapped loopback.</summary>
    public static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address) || (address.IsIPv4MappedToIPv6 && IPAddress.IsLoopback(address.MapToIPv4()));

    // The kernel prints each 32-bit word of the address in host byte order (little-endian here).
    private static IPAddress Parse(string hex, bool v6)
    {
        var bytes = Convert.FromHexString(hex);
        for (var i = 0; i < bytes.Length; i += 4)
        {
            Array.Reverse(bytes, i, 4);
        }

        return new IPAddress(v6 ? bytes : bytes[..4]);
    }
}
