from orbitwatch.cli.main import main

main()
