// The end-to-end tests run the Linux agent and kernel probes; they target Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
