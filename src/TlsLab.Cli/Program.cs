System.Console.WriteLine("tlslab");
