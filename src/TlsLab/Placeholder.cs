namespace TlsLab;
internal static class Placeholder { }
