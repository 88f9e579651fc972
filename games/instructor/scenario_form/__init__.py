"""The scenario editor: one form field per parameter of crisis-model.md, checked by the engine itself.

- `specs`: the catalogue (each parameter's label, meaning, valid range and symbol) and the fieldsets.
- `exact_numbers`: reading and showing exact values ("0.35", "7/20", "０．３５").
- `fields`: one form field per parameter, with its help text and initial value.
- `forms`: the admin's `ScenarioForm`, the preview's `ParamsForm`, and the engine's errors on their fields.
"""
