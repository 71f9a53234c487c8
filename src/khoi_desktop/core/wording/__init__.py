"""Decision wording that belongs to the domain: the editable templates per action and their store.

documents/ only renders what core composes (issue 14); the GUI's template editor and the workflows'
wording both read these modules.
"""
