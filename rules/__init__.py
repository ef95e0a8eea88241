"""Rule families, one module each. Importing a module registers its rules.

``registry_lint.rule.load_rules`` imports every module here whose name does
not start with an underscore (those are helpers shared by families).
"""

if __name__ != "registry_lint.rules":  # `import rules` from a checkout: every rule registered twice
    from registry_lint.importname import refuse

    refuse(__name__, "registry_lint.rules")
