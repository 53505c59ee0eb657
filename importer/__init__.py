"""The importer of case files in the interchange format of cases.csv (docs/import_cases.md).

The whole file is read and checked first (`reading`); every problem is collected with its line and
column. Only a file without errors is written (`writing`), in one transaction, one case at a time
through the services, by what each row means for the record (`record`).
"""
