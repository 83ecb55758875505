#error "--wdk picked an older WDK version"
