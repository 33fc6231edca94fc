"""`plan`: the checked model lowered to the IR every engine evaluates (`plan.ir`,
`plan.steps`, `plan.schema`). Lowering itself (`plan.lower`, `plan.lower_schema`) is the
only part that reads the checked model; it is not imported here, so that the stages after
`plan` load without the front end."""
