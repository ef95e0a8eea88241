from registry_lint.entry import main

main()
