"""What rules (and the resolver) compute from the extracted model and trees
that is not itself a rule: value flow, presence guards, UDF types, read
attribution, declared keys, references, names, step indexes, app
registrations, argument types.

Analysis sits between the extractors and the rules: it reads extracted files
(``PythonFile``, ``YamlFile``, ``TsFile``) and the model, never source text
of another syntax, and imports no rule. Rule modules keep only what belongs
to rules: the rules, their base classes, examples, messages and fixes.
"""
